import Foundation
import LoomContract

/// The checks of endpoints (each channel's required keys and values) and of routes.
extension MetadataValidator {
    func validateEndpoints() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (name, endpoint) in metadata.endpoints.sorted(by: { $0.key < $1.key }) {
            let key = ["endpoints", name]
            if !Self.isName(name) { issues.append(endpointsFile.issue(key: key, "endpoint names use letters, digits, '-' and '_'")) }
            if endpoint.sessionInactivitySeconds <= 0 {
                issues.append(endpointsFile.issue(key: key + ["sessionInactivitySeconds"], "must be positive"))
            }
            if endpoint.sessionTurnLimit < 1 {
                issues.append(endpointsFile.issue(key: key + ["sessionTurnLimit"], "must be at least 1"))
            }
            for field in EndpointRequirements.missing(in: endpoint) {
                issues.append(endpointsFile.issue(key: key + [field], "required for a \(EndpointRequirements.describe(endpoint)) endpoint"))
            }
            if let url = endpoint.apiBaseURL, URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                issues.append(endpointsFile.issue(key: key + ["apiBaseURL"], "an absolute http(s) URL is required"))
            }
            if endpoint.channel == .sms, endpoint.carrier == .meta {
                issues.append(endpointsFile.issue(key: key + ["carrier"], "SMS is carried by twilio only"))
            }
            if endpoint.carrier != nil, endpoint.resolvedCarrier == nil {
                issues.append(endpointsFile.issue(key: key + ["carrier"], "only sms and whatsapp endpoints have a carrier"))
            }
            if endpoint.requestHistory != nil, endpoint.channel != .openai {
                issues.append(endpointsFile.issue(key: key + ["requestHistory"], "only openai endpoints receive a caller's history"))
            }
            if let port = endpoint.smtpPort, !(1...65535).contains(port) {
                issues.append(endpointsFile.issue(key: key + ["smtpPort"], "must be between 1 and 65535"))
            }
        }
        return issues
    }

    func validateRoutes() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var names: [String: Int] = [:]
        for (index, route) in metadata.routes.enumerated() {
            let key = ["routes", "\(index)"]
            if let first = names[route.name] {
                issues.append(routesFile.issue(key: key + ["name"], "duplicate route name '\(route.name)' (also routes.\(first))"))
            }
            names[route.name] = names[route.name] ?? index
            if metadata.endpoints[route.endpoint] == nil {
                issues.append(routesFile.issue(key: key + ["endpoint"], "unknown endpoint '\(route.endpoint)' (not in endpoints.yaml)"))
            }
            if metadata.agents[route.agent] == nil {
                issues.append(routesFile.issue(key: key + ["agent"], "unknown agent '\(route.agent)' (not in agents.yaml)"))
            }
            for (field, value) in [("senderDomain", route.when.senderDomain), ("keyword", route.when.keyword)] where value?.isEmpty == true {
                issues.append(routesFile.issue(key: key + ["when", field], "must not be empty"))
            }
            // Two routes on one endpoint with equally many conditions that one message could
            // satisfy together leave the owner ambiguous.
            if let earlier = metadata.routes[..<index].firstIndex(where: {
                $0.endpoint == route.endpoint && $0.when.count == route.when.count && $0.when.overlaps(route.when)
            }) {
                let what = route.when.count == 0 ? "both claim endpoint '\(route.endpoint)'" : "a message on '\(route.endpoint)' can match both"
                issues.append(routesFile.issue(key: key + ["endpoint"], "overlaps routes.\(earlier): \(what)"))
            }
        }
        return issues
    }
}
