import LoomConfig
import LoomContract
import MCP

/// Which of a server's tools are callable, and whether metadata and server agree. Pure.
///
/// Only tools the metadata names (an `mcp` capability's `backend.tool`) are ever called; a tool
/// the server lists but no capability names is not reachable, and a named tool the server no
/// longer lists is refused.
///
/// How the schema reaches the model: the orchestrator offers the metadata's `parameters`, as for
/// every capability type, and never asks a server. The server's `inputSchema` only checks: here at
/// each call and in `loom config check` (``mismatches(parameters:inputSchema:)``). So what the model
/// reads is reviewed configuration a server cannot rewrite (no prompt injection through a tool
/// list), an execution replays against metadata alone, and a turn never waits on a server it may
/// not call. docs/mcp-tools.md has the longer reasoning.
enum McpExposure {
    /// The listed tool a capability names, if the server offers it.
    static func tool(_ name: String, in listed: [Tool]) -> Tool? {
        listed.first { $0.name == name }
    }

    /// The tools of `server` that capabilities name, by tool name, of those it lists.
    static func exposed(server: String, capabilities: [String: CapabilityDefinition], listed: [Tool]) -> [String: Tool]
    {
        var exposed: [String: Tool] = [:]
        for backend in backends(of: server, capabilities).values {
            if let tool = tool(backend.tool, in: listed) { exposed[backend.tool] = tool }
        }
        return exposed
    }

    /// The `mcp` capabilities of one server, by capability name.
    static func backends(of server: String, _ capabilities: [String: CapabilityDefinition]) -> [String: McpBackend] {
        var backends: [String: McpBackend] = [:]
        for (name, capability) in capabilities where capability.type == .mcp {
            if let backend = try? McpBackend(backend: capability.backend), backend.server == server {
                backends[name] = backend
            }
        }
        return backends
    }

    /// What keeps metadata `parameters` (what the model is offered) from fitting the server's
    /// `inputSchema`: a property the server does not take, or one it requires that the model is
    /// never asked for. The admin may narrow (fewer optional properties, tighter types).
    static func mismatches(parameters: JSONValue, inputSchema: JSONValue) -> [String] {
        let offered = properties(parameters)
        let accepted = properties(inputSchema)
        var problems: [String] = []
        // A server schema without `properties` says nothing about names: every offered one fits.
        if case .object(let schema) = inputSchema, schema["properties"] != nil {
            for name in offered.subtracting(accepted).sorted() {
                problems.append("parameter '\(name)' is not in the server's inputSchema")
            }
        }
        for name in required(inputSchema).subtracting(offered).sorted() {
            problems.append("the server requires '\(name)', which parameters do not offer")
        }
        return problems
    }

    private static func properties(_ schema: JSONValue) -> Set<String> {
        guard case .object(let root) = schema, case .object(let properties)? = root["properties"] else { return [] }
        return Set(properties.keys)
    }

    private static func required(_ schema: JSONValue) -> Set<String> {
        guard case .object(let root) = schema, case .array(let names)? = root["required"] else { return [] }
        return Set(names.compactMap(\.stringValue))
    }
}
