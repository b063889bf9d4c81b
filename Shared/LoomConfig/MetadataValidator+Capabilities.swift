import Foundation
import LoomContract

extension MetadataValidator {
    func validateCapabilities() -> [ConfigIssue] {
        guard let file = capabilitiesFile else { return [] }
        var issues: [ConfigIssue] = []
        for (name, capability) in metadata.capabilities.sorted(by: { $0.key < $1.key }) {
            let key = ["capabilities", name]
            // Provider tool names allow letters, digits, '_' and '-', up to 64 characters.
            if !Self.isName(name) || name.count > 64 {
                issues.append(file.issue(key: key, "capability names use letters, digits, '-' and '_' (at most 64)"))
            }
            if capability.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                issues.append(file.issue(key: key + ["description"], "the model needs a description"))
            }
            for problem in JSONSchema(capability.parameters).problems() {
                issues.append(file.issue(key: key + ["parameters"], "invalid JSON Schema: \(problem)"))
            }
            if case .object(let root) = capability.parameters, root["type"] != .string("object") {
                issues.append(file.issue(key: key + ["parameters", "type"], "parameters must be a JSON Schema of type object"))
            }
            switch capability.type {
            case .standard:
                let action = capability.backend["action"]?.stringValue ?? ""
                if !CapabilityDefinition.standardActions.contains(action) {
                    let allowed = CapabilityDefinition.standardActions.sorted().joined(separator: ", ")
                    issues.append(file.issue(key: key + ["backend", "action"], "'\(action)' is not a standard action (one of \(allowed))"))
                }
                if case .array(let types)? = capability.backend["objectTypes"] {
                    for type in types.compactMap(\.stringValue) where metadata.records.objects[type] == nil {
                        issues.append(file.issue(key: key + ["backend", "objectTypes"], "unknown object type '\(type)' (not in records.yaml)"))
                    }
                }
            case .agent:
                let target = capability.backend["agent"]?.stringValue ?? ""
                if let agent = metadata.agents[target] {
                    if agent.strategy != .direct {
                        issues.append(file.issue(key: key + ["backend", "agent"], "agent '\(target)' must be a direct agent to be used as a capability"))
                    }
                } else {
                    issues.append(file.issue(key: key + ["backend", "agent"], "unknown agent '\(target)' (not in agents.yaml)"))
                }
            case .command:
                do {
                    let command = try CommandBackend(backend: capability.backend)
                    for problem in command.problems { issues.append(file.issue(key: key + ["backend"], problem)) }
                } catch {
                    issues.append(file.issue(key: key + ["backend"], "a command needs at least 'executable': \(error)"))
                }
            case .mcp:
                issues += mcpBackendIssues(capability, file: file, key: key)
            }
        }
        return issues + mcpServerIssues(file: file)
    }
}
