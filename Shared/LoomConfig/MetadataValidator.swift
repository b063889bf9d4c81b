import Foundation
import LoomContract

/// Checks that decoded metadata is consistent: references resolve, numbers are in range,
/// patterns compile and no two routes claim the same traffic.
struct MetadataValidator {
    let metadata: LoomMetadata
    let agentsFile: YAMLFile
    let providersFile: YAMLFile
    let endpointsFile: YAMLFile
    let routesFile: YAMLFile
    let recordsFile: YAMLFile?
    let capabilitiesFile: YAMLFile?
    let trustFile: YAMLFile?

    func validate() -> [ConfigIssue] {
        validateAgents() + validateProviders() + validateEndpoints() + validateRoutes() + validateRecords() + validateCapabilities()
            + validateTrust() + validateApprovalCoverage()
    }

    /// Custom detectors need token-friendly names that do not shadow a built-in kind, and
    /// patterns that compile; the vault key is named, never written.
    /// A capability that needs approval needs somewhere to send it.
    private func validateApprovalCoverage() -> [ConfigIssue] {
        guard let capabilitiesFile else { return [] }
        var issues: [ConfigIssue] = []
        let needing: Set<CapabilityDefinition.HITLMode> = [.approval, .confirmationThenApproval, .conditionalApproval]
        for (name, capability) in metadata.capabilities.sorted(by: { $0.key < $1.key }) {
            for problem in capability.retry.problems {
                issues.append(capabilitiesFile.issue(key: ["capabilities", name, "retry"], problem))
            }
            guard needing.contains(capability.hitl) else { continue }
            let routed = metadata.trust.approvals.routes.contains { $0.capability == "*" || $0.capability == name }
            if !routed {
                issues.append(capabilitiesFile.issue(
                    key: ["capabilities", name, "hitl"], "needs an approval route in trust.yaml (trust.approvals.routes) that covers it"))
            }
        }
        return issues
    }

    private func validateTrust() -> [ConfigIssue] {
        guard let trustFile else { return [] }
        var issues: [ConfigIssue] = []
        let builtIn: Set<String> = ["EMAIL", "PHONE", "CARD", "SSN", "IBAN", "ABA", "IPV4", "IPV6"]
        var seen: Set<String> = []
        for (index, pattern) in metadata.trust.piiPatterns.enumerated() {
            let key = ["trust", "piiPatterns", "\(index)"]
            if pattern.name.range(of: "^[A-Z][A-Z0-9_]*[A-Z0-9]$", options: .regularExpression) == nil {
                issues.append(trustFile.issue(key: key + ["name"], "use capital letters, digits and '_' (it becomes the token, e.g. [\(pattern.name.uppercased())_1])"))
            } else if builtIn.contains(pattern.name) || !seen.insert(pattern.name).inserted {
                issues.append(trustFile.issue(key: key + ["name"], "'\(pattern.name)' is already a detector"))
            }
            if (try? NSRegularExpression(pattern: pattern.pattern)) == nil {
                issues.append(trustFile.issue(key: key + ["pattern"], "not a valid regular expression: \(pattern.pattern)"))
            } else if "".range(of: pattern.pattern, options: .regularExpression) != nil {
                issues.append(trustFile.issue(key: key + ["pattern"], "matches empty text"))
            }
        }
        let access = metadata.trust.access
        for (index, rule) in access.principals.enumerated() {
            for role in rule.roles where access.roles[role] == nil {
                issues.append(trustFile.issue(key: ["trust", "access", "principals", "\(index)", "roles"], "unknown role '\(role)'"))
            }
        }
        for role in access.defaultRoles where access.roles[role] == nil {
            issues.append(trustFile.issue(key: ["trust", "access", "defaultRoles"], "unknown role '\(role)'"))
        }
        for (name, role) in access.roles.sorted(by: { $0.key < $1.key }) {
            let key = ["trust", "access", "roles", name]
            for agent in role.agents where agent != "*" && metadata.agents[agent] == nil {
                issues.append(trustFile.issue(key: key + ["agents"], "unknown agent '\(agent)'"))
            }
            for capability in role.capabilities where capability != "*" && metadata.capabilities[capability] == nil {
                issues.append(trustFile.issue(key: key + ["capabilities"], "unknown capability '\(capability)'"))
            }
            for objectType in role.records.keys.sorted() where objectType != "*" && metadata.records.objects[objectType] == nil {
                issues.append(trustFile.issue(key: key + ["records", objectType], "unknown object type '\(objectType)'"))
            }
        }
        let approvals = metadata.trust.approvals
        for (index, route) in approvals.routes.enumerated() {
            let key = ["trust", "approvals", "routes", "\(index)"]
            for group in route.approvers where approvals.approvers[group] == nil {
                issues.append(trustFile.issue(key: key + ["approvers"], "unknown approver group '\(group)'"))
            }
            if route.capability != "*", metadata.capabilities[route.capability] == nil {
                issues.append(trustFile.issue(key: key + ["capability"], "unknown capability '\(route.capability)'"))
            }
            if route.agent != "*", metadata.agents[route.agent] == nil {
                issues.append(trustFile.issue(key: key + ["agent"], "unknown agent '\(route.agent)'"))
            }
            if (route.expiresAfterSeconds ?? 1) <= 0 { issues.append(trustFile.issue(key: key + ["expiresAfterSeconds"], "must be positive")) }
        }
        for (name, group) in approvals.approvers.sorted(by: { $0.key < $1.key }) where group.tokens.contains(where: { !$0.isIndirect }) {
            issues.append(trustFile.issue(key: ["trust", "approvals", "approvers", name, "tokens"], "name tokens as env:NAME or file:/path"))
        }
        if let key = metadata.trust.vaultKey, !key.isIndirect {
            issues.append(trustFile.issue(key: ["trust", "vaultKey"], "name the key (env:NAME or file:/path) instead of writing it here"))
        }
        return issues
    }

    private func validateAgents() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if metadata.agents.isEmpty { issues.append(agentsFile.issue(key: ["agents"], "at least one agent is required")) }
        for (name, agent) in metadata.agents.sorted(by: { $0.key < $1.key }) {
            let key = ["agents", name]
            if !Self.isName(name) { issues.append(agentsFile.issue(key: key, "agent names use letters, digits, '-' and '_'")) }
            if metadata.providers[agent.provider] == nil {
                issues.append(agentsFile.issue(key: key + ["provider"], "unknown provider '\(agent.provider)' (not in providers.yaml)"))
            }
            if let flow = agent.toolFlow {
                for tool in flow.tools.sorted() where !agent.capabilities.contains(tool) {
                    issues.append(agentsFile.issue(key: key + ["toolFlow"], "'\(tool)' is not one of the agent's capabilities"))
                }
                if let cycle = flow.cycle {
                    issues.append(agentsFile.issue(key: key + ["toolFlow", "transitions"], "transitions form a cycle: \(cycle.joined(separator: " → "))"))
                }
                if flow.entry.isEmpty { issues.append(agentsFile.issue(key: key + ["toolFlow", "entry"], "at least one entry tool is required")) }
            }
            if let region = agent.trust.region, region.count != 2 || !region.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                issues.append(agentsFile.issue(key: key + ["trust", "region"], "a two-letter country code such as FR or BR"))
            }
            if let moderation = agent.trust.promptSafety.moderation {
                let moderationKey = key + ["trust", "promptSafety", "moderation", "provider"]
                if let provider = metadata.providers[moderation.provider] {
                    if provider.type != .openai {
                        issues.append(agentsFile.issue(key: moderationKey, "'\(moderation.provider)' has no moderation endpoint (openai-style providers do)"))
                    }
                } else {
                    issues.append(agentsFile.issue(key: moderationKey, "unknown provider '\(moderation.provider)'"))
                }
            }
            if agent.identity.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                issues.append(agentsFile.issue(key: key + ["identity"], "must not be empty"))
            }
            if agent.memory.turns < 0 || agent.memory.turns > 1000 {
                issues.append(agentsFile.issue(key: key + ["memory", "turns"], "must be between 0 and 1000"))
            }
            if agent.maxProcessingCycles < 1 || agent.maxProcessingCycles > 100 {
                issues.append(agentsFile.issue(key: key + ["maxProcessingCycles"], "must be between 1 and 100"))
            }
            if let temperature = agent.temperature, !(0...2).contains(temperature) {
                issues.append(agentsFile.issue(key: key + ["temperature"], "must be between 0 and 2"))
            }
            if let maxTokens = agent.maxTokens, maxTokens < 1 {
                issues.append(agentsFile.issue(key: key + ["maxTokens"], "must be positive"))
            }
            if !(agent.replyTimeoutSeconds > 0 && agent.replyTimeoutSeconds <= 600) {
                issues.append(agentsFile.issue(key: key + ["replyTimeoutSeconds"], "must be between 0 and 600 seconds"))
            }
            if !(0...60_000).contains(agent.turnCoordination.windowMilliseconds) {
                issues.append(agentsFile.issue(key: key + ["turnCoordination", "windowMilliseconds"], "must be between 0 and 60000"))
            }
            var blockNames: Set<String> = []
            for (index, block) in agent.context.enumerated() {
                let blockKey = key + ["context", "\(index)"]
                if !Self.isName(block.name) || !blockNames.insert(block.name).inserted {
                    issues.append(agentsFile.issue(key: blockKey + ["name"], "context block names are unique and use letters, digits, '-' and '_'"))
                }
                if !(1...20_000).contains(block.maxCharacters) {
                    issues.append(agentsFile.issue(key: blockKey + ["maxCharacters"], "must be between 1 and 20000"))
                }
                switch block.source {
                case .record:
                    if metadata.records.objects[block.objectType ?? ""] == nil {
                        issues.append(agentsFile.issue(key: blockKey + ["objectType"], "a record block needs an object type from records.yaml"))
                    }
                    if (try? NSRegularExpression(pattern: block.idPattern ?? "")) == nil || (block.idPattern ?? "").isEmpty {
                        issues.append(agentsFile.issue(key: blockKey + ["idPattern"], "a record block needs a regular expression that finds the id"))
                    }
                case .static:
                    if (block.text ?? "").isEmpty { issues.append(agentsFile.issue(key: blockKey + ["text"], "a static block needs text")) }
                case .session, .principal:
                    break
                }
            }
            if agent.strategy == .direct {
                if let schema = agent.outputSchema {
                    for problem in JSONSchema(schema).problems() {
                        issues.append(agentsFile.issue(key: key + ["outputSchema"], "invalid JSON Schema: \(problem)"))
                    }
                } else {
                    issues.append(agentsFile.issue(key: key + ["outputSchema"], "a direct agent needs the JSON Schema of its output"))
                }
            }
            var seen: Set<String> = []
            for (index, capability) in agent.capabilities.enumerated() {
                if metadata.capabilities[capability] == nil {
                    issues.append(agentsFile.issue(key: key + ["capabilities", "\(index)"], "unknown capability '\(capability)' (not in capabilities.yaml)"))
                }
                if !seen.insert(capability).inserted {
                    issues.append(agentsFile.issue(key: key + ["capabilities", "\(index)"], "capability '\(capability)' is listed twice"))
                }
            }
        }
        return issues
    }

    /// A provider's key belongs to the gateway; an endpoint naming the same variable or file
    /// would hand it to the ingress, and a key pasted into any metadata file is readable by
    /// every service.
    func providerKeysUsedElsewhere() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        let keys = Dictionary(
            metadata.providers.compactMap { name, provider in provider.apiKey.map { ($0.reference, name) } }, uniquingKeysWith: { first, _ in first })
        for (name, endpoint) in metadata.endpoints.sorted(by: { $0.key < $1.key }) {
            for (field, reference) in endpoint.secretReferences {
                if let provider = keys[reference.reference], reference.isIndirect {
                    issues.append(endpointsFile.issue(
                        key: ["endpoints", name, field], "\(reference) is provider '\(provider)''s key; provider keys are for the gateway only"))
                }
            }
        }
        for file in [agentsFile, providersFile, endpointsFile, routesFile] + [recordsFile, capabilitiesFile].compactMap({ $0 }) {
            if let line = ProviderKeyShape.firstLine(in: file.text) {
                issues.append(ConfigIssue(
                    file: file.displayName, key: "", line: line,
                    message: "this looks like a provider API key; keep it in the gateway's environment or a file and reference it as env:NAME or file:/path"))
            }
        }
        return issues
    }

    private func validateRecords() -> [ConfigIssue] {
        guard let recordsFile else { return [] }
        var issues: [ConfigIssue] = []
        for (type, object) in metadata.records.objects.sorted(by: { $0.key < $1.key }) {
            for (index, field) in object.sensitive.enumerated() where object.fields[field] == nil {
                issues.append(recordsFile.issue(key: ["objects", type, "sensitive", "\(index)"], "'\(field)' is not a field of \(type)"))
            }
        }
        for (type, records) in metadata.records.records.sorted(by: { $0.key < $1.key }) {
            if metadata.records.objects[type] == nil {
                issues.append(recordsFile.issue(key: ["records", type], "object type '\(type)' is not declared under objects"))
            }
            for (index, record) in records.enumerated() where record["id"]?.stringValue?.isEmpty ?? true {
                issues.append(recordsFile.issue(key: ["records", type, "\(index)"], "every record needs a string id"))
            }
        }
        return issues
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
