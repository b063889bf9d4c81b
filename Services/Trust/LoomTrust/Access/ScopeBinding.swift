import LoomContract

/// Which vault scope a caller may mask into or restore from. The orchestrator names the
/// session or execution it is driving, and the scope must be one of them, so a call cannot
/// reach into a scope it does not claim; an operator (`loom bench pii`) gets only `bench-`
/// scopes, which no session or execution ever uses.
enum ScopeBinding {
    static let operatorPrefix = "bench-"

    /// A `forbidden` failure when `scope` is not the caller's to use; nil when it is.
    /// - Parameter authenticated: whether the bus names its callers; when it does, a caller the
    ///   current roster no longer lists (a revoked key on an open connection) gets nothing.
    static func refusal(scope: String, _ envelope: Envelope, caller: BusIdentity?, authenticated: Bool) -> Failure? {
        if caller?.role == .operator {
            return scope.hasPrefix(operatorPrefix)
                ? nil : Failure(code: "forbidden", message: "operators may use only '\(operatorPrefix)' scopes")
        }
        if authenticated && caller?.role != .orchestrator {
            return Failure(code: "forbidden", message: "only the orchestrator masks and unmasks for executions")
        }
        let correlation = envelope.correlation
        guard scope == correlation.sessionId || scope == correlation.executionId else {
            return Failure(code: "forbidden", message: "the scope is neither the call's session nor its execution")
        }
        return nil
    }
}
