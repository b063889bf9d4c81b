import Foundation
import LoomContract

/// Everything configured in the metadata directory: agents, providers, endpoints, routes and
/// the record store's sample data.
public struct LoomMetadata: Sendable, Equatable {
    public var agents: [String: AgentDefinition]
    public var providers: [String: ProviderConfig]
    public var endpoints: [String: ChannelEndpoint]
    public var routes: [ChannelRoute]
    public var records: RecordStoreSeed
    public var capabilities: [String: CapabilityDefinition]
    /// MCP servers that `mcp` capabilities name (`capabilities.yaml`, `mcpServers:`).
    public var mcpServers: [String: McpServerDefinition]
    public var trust: TrustPolicy
    /// Bearer tokens of the HTTP API's callers (`clients.yaml`); none means the message API is open.
    public var clients: [ClientToken]

    public init(
        agents: [String: AgentDefinition], providers: [String: ProviderConfig], endpoints: [String: ChannelEndpoint],
        routes: [ChannelRoute], records: RecordStoreSeed, capabilities: [String: CapabilityDefinition] = [:],
        trust: TrustPolicy = TrustPolicy(), clients: [ClientToken] = [],
        mcpServers: [String: McpServerDefinition] = [:]
    ) {
        self.agents = agents
        self.providers = providers
        self.endpoints = endpoints
        self.routes = routes
        self.records = records
        self.capabilities = capabilities
        self.mcpServers = mcpServers
        self.trust = trust
        self.clients = clients
    }

    /// Loads and validates the metadata in `directory`; every problem found is reported at once.
    public static func load(directory: URL) throws(ConfigError) -> LoomMetadata {
        var issues: [ConfigIssue] = []
        func read<T: Decodable>(_ name: String, _ type: T.Type, optional: Bool = false) -> (T, YAMLFile)? {
            let path = directory.appendingPathComponent(name).path
            let display = directory.lastPathComponent + "/" + name
            if optional && !FileManager.default.fileExists(atPath: path) { return nil }
            do {
                let file = try YAMLFile(path: path, displayName: display)
                return (try file.decode(type), file)
            } catch {
                issues += error.issues
                return nil
            }
        }
        let agents = read("agents.yaml", AgentsFile.self)
        let providers = read("providers.yaml", ProvidersFile.self)
        let endpoints = read("endpoints.yaml", EndpointsFile.self)
        let routes = read("routes.yaml", RoutesFile.self)
        let records = read("records.yaml", RecordStoreSeed.self, optional: true)
        let capabilities = read("capabilities.yaml", CapabilitiesFile.self, optional: true)
        let trust = read("trust.yaml", TrustFile.self, optional: true)
        let clients = read("clients.yaml", ClientsFile.self, optional: true)
        guard issues.isEmpty, let agents, let providers, let endpoints, let routes else { throw ConfigError(issues: issues) }

        let metadata = LoomMetadata(
            agents: agents.0.agents, providers: providers.0.providers, endpoints: endpoints.0.endpoints, routes: routes.0.routes,
            records: records?.0 ?? RecordStoreSeed(), capabilities: capabilities?.0.capabilities ?? [:],
            trust: trust?.0.trust ?? TrustPolicy(), clients: clients?.0.clients ?? [],
            mcpServers: capabilities?.0.mcpServers ?? [:])
        let validator = MetadataValidator(
            metadata: metadata, agentsFile: agents.1, providersFile: providers.1, endpointsFile: endpoints.1, routesFile: routes.1,
            recordsFile: records?.1, capabilitiesFile: capabilities?.1, trustFile: trust?.1)
        issues = validator.validate() + (clients.map { ClientToken.validate($0.0.clients, file: $0.1) } ?? [])
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        return metadata
    }

    /// The route that owns a message on `endpoint`: of the routes whose conditions hold, the
    /// one with the most conditions (the validator guarantees it is unique).
    public func route(forEndpoint endpoint: String, sender: String = "", text: String = "") -> ChannelRoute? {
        routes.filter { $0.endpoint == endpoint && $0.when.matches(sender: sender, text: text) }
            .max { $0.when.count < $1.when.count }
    }

    /// The endpoints of one channel, by name.
    public func endpoints(of channel: Channel) -> [String] {
        endpoints.filter { $0.value.channel == channel }.map(\.key).sorted()
    }
}

private struct AgentsFile: Decodable { var agents: [String: AgentDefinition] }
private struct ProvidersFile: Decodable { var providers: [String: ProviderConfig] }
private struct EndpointsFile: Decodable { var endpoints: [String: ChannelEndpoint] }
private struct RoutesFile: Decodable { var routes: [ChannelRoute] }
private struct CapabilitiesFile: Decodable {
    var capabilities: [String: CapabilityDefinition]
    var mcpServers: [String: McpServerDefinition]?
}
private struct TrustFile: Decodable { var trust: TrustPolicy }
