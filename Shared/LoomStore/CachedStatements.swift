import GRDB

extension Database {
    /// Runs a statement through the connection's statement cache. The custody, reply-cache and
    /// history statements run several times a turn; compiling each again (parser, authorizer)
    /// was a visible share of a service's CPU.
    public func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
