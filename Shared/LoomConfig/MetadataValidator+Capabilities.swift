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
                if CapabilityDefinition.recordActions.contains(action), capability.effect == .readOnly {
                    issues.append(file.issue(
                        key: key + ["effect"], "'\(action)' changes records: its effect is idempotent or irreversible"))
                }
                for problem in Self.outsideActionProblems(action, capability.backend) {
                    issues.append(file.issue(key: key + ["backend"], problem))
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

    /// The settings of `http_callout` and `send_email`, which act outside the record store.
    static func outsideActionProblems(_ action: String, _ backend: [String: JSONValue]) -> [String] {
        switch action {
        case "http_callout":
            do { return try HTTPCalloutBackend(backend: backend).problems } catch {
                return ["an http_callout needs at least 'baseURL': \(error)"]
            }
        case "send_email":
            do { return try EmailBackend(backend: backend).problems } catch {
                return ["a send_email needs at least 'from' (and smtp: { host } to send): \(error)"]
            }
        default: return []
        }
    }
}
