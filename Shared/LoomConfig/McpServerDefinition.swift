import Foundation
import LoomContract

/// An MCP server declared in `capabilities.yaml` under `mcpServers:`. Exactly one transport:
/// `stdio` (a program the tools service keeps running in the same sandbox as command tools,
/// speaking JSON-RPC lines on stdin/stdout) or `url` (streamable HTTP; the URL is the whole
/// allow-list: nothing else is called).
public struct McpServerDefinition: Sendable, Codable, Equatable {
    public var stdio: CommandBackend?
    public var url: String?
    /// The limit for one call and for start-up (initialize and the tool list).
    public var timeoutSeconds: Double

    enum CodingKeys: String, CodingKey { case stdio, url, timeoutSeconds }

    public init(stdio: CommandBackend? = nil, url: String? = nil, timeoutSeconds: Double = 30) {
        self.stdio = stdio
        self.url = url
        self.timeoutSeconds = timeoutSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stdio = try c.decodeIfPresent(CommandBackend.self, forKey: .stdio)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 30
    }

    /// The HTTP endpoint, when the server is reached over HTTP.
    public var endpoint: URL? { url.flatMap(URL.init(string:)) }

    /// What is wrong with these settings, for the config check (empty when they can run).
    public var problems: [String] {
        var problems: [String] = []
        switch (stdio, url) {
        case (nil, nil), (.some, .some): problems.append("a server needs exactly one of 'stdio' or 'url'")
        case (let command?, nil): problems += command.problems.map { "stdio: \($0)" }
        case (nil, let url?): problems += Self.urlProblems(url)
        }
        if !(timeoutSeconds > 0 && timeoutSeconds <= 600) { problems.append("timeoutSeconds must be in (0, 600]") }
        return problems
    }

    /// Plain HTTP only to this host's loopback; anything else needs TLS.
    static func urlProblems(_ text: String) -> [String] {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(),
            !host.isEmpty
        else { return ["url '\(text)' is not an absolute http(s) URL"] }
        switch scheme {
        case "https": return []
        case "http" where ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host): return []
        case "http": return ["url '\(text)': plain http is allowed to loopback only; use https"]
        default: return ["url '\(text)' is not an absolute http(s) URL"]
        }
    }
}

/// The admin-owned backend of an `mcp` capability: which server, and which of its tools.
public struct McpBackend: Sendable, Codable, Equatable {
    public var server: String
    public var tool: String

    public init(server: String, tool: String) {
        self.server = server
        self.tool = tool
    }

    /// Reads a capability's `backend` map.
    public init(backend: [String: JSONValue]) throws {
        guard let server = backend["server"]?.stringValue, !server.isEmpty,
            let tool = backend["tool"]?.stringValue, !tool.isEmpty
        else { throw McpBackendError() }
        self.init(server: server, tool: tool)
    }
}

struct McpBackendError: Error, CustomStringConvertible {
    var description: String { "an mcp capability needs 'server' and 'tool' (both non-empty strings)" }
}
