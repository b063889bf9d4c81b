import LoomConfig
import LoomContract

/// Decides which agent owns an inbound message: endpoint → route (by its conditions) → agent,
/// and which delivery policy its reply follows.
struct RouteResolver {
    let metadata: LoomMetadata

    struct Resolved {
        var endpoint: ChannelEndpoint
        var route: ChannelRoute
        var agentName: String
        var agent: AgentDefinition
        /// The route's override, else the endpoint's policy.
        var delivery: DeliveryPolicy { route.delivery ?? endpoint.delivery }
    }

    /// A routing refusal the ingress turns into an HTTP status.
    struct Refusal: Error {
        var code: String
        var detail: String
    }

    func resolve(_ message: InboundMessage) throws(Refusal) -> Resolved {
        guard let endpoint = metadata.endpoints[message.endpoint] else {
            throw Refusal(code: "unknown_endpoint", detail: "no endpoint named '\(message.endpoint)' is configured")
        }
        guard endpoint.channel == message.channel else {
            throw Refusal(code: "channel_mismatch", detail: "endpoint '\(message.endpoint)' takes \(endpoint.channel.rawValue) traffic")
        }
        guard let route = metadata.route(forEndpoint: message.endpoint, sender: message.sender, text: message.text) else {
            throw Refusal(code: "no_route", detail: "no route owns this message on endpoint '\(message.endpoint)'")
        }
        var agentName = route.agent
        if let requested = message.agent, requested != route.agent {
            guard route.allowExplicitAgent else {
                throw Refusal(code: "agent_not_routable", detail: "endpoint '\(message.endpoint)' only serves agent '\(route.agent)'")
            }
            agentName = requested
        }
        guard let agent = metadata.agents[agentName] else {
            throw Refusal(code: "unknown_agent", detail: "no agent named '\(agentName)'")
        }
        guard agent.active else { throw Refusal(code: "agent_inactive", detail: "agent '\(agentName)' is not active") }
        return Resolved(endpoint: endpoint, route: route, agentName: agentName, agent: agent)
    }
}
