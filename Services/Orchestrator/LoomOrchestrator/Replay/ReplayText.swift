import Foundation
import LoomContract

/// How replay describes calls and where two of them differ.
enum ReplayText {
    struct Difference {
        var summary: String
        var recorded: String
        var replayed: String
    }

    static func describe(_ request: CallRequest) -> String {
        clip((try? OrchestratorDatabase.json(request)) ?? "\(request)")
    }

    /// Nil when the two ask the same thing.
    static func difference(recorded: CallRequest, replayed: CallRequest) -> Difference? {
        let before = (try? OrchestratorDatabase.json(recorded)) ?? ""
        let after = (try? OrchestratorDatabase.json(replayed)) ?? ""
        guard before != after else { return nil }
        if case .complete(let old) = recorded, case .complete(let new) = replayed {
            return completionDifference(old, new)
        }
        if case .invoke(let old) = recorded, case .invoke(let new) = replayed, old.refusal != new.refusal {
            return Difference(
                summary: "a different policy decision on \(new.call.name)",
                recorded: old.refusal.map { "refused: \($0.reason)" } ?? "allowed",
                replayed: new.refusal.map { "refused: \($0.reason)" } ?? "allowed")
        }
        return Difference(summary: "different arguments", recorded: clip(before), replayed: clip(after))
    }

    private static func completionDifference(_ old: CompletionRequest, _ new: CompletionRequest) -> Difference {
        let oldTools = (old.tools ?? []).map(\.name)
        let newTools = (new.tools ?? []).map(\.name)
        if oldTools != newTools {
            return Difference(
                summary: "a different set of offered tools",
                recorded: oldTools.joined(separator: ", "), replayed: newTools.joined(separator: ", "))
        }
        for index in 0..<max(old.messages.count, new.messages.count) {
            let before = index < old.messages.count ? old.messages[index] : nil
            let after = index < new.messages.count ? new.messages[index] : nil
            guard before != after else { continue }
            let role = (after ?? before).map { $0.role.rawValue } ?? "?"
            return Difference(
                summary: "a different prompt (message \(index + 1), \(role))",
                recorded: clip(around(before?.content ?? "(none)", other: after?.content ?? "")),
                replayed: clip(around(after?.content ?? "(none)", other: before?.content ?? "")))
        }
        return Difference(
            summary: "different model settings",
            recorded: "\(old.provider) \(old.model ?? "-") temperature \(old.temperature.map { "\($0)" } ?? "-")",
            replayed: "\(new.provider) \(new.model ?? "-") temperature \(new.temperature.map { "\($0)" } ?? "-")")
    }

    /// The text from a little before where it first differs from `other`.
    static func around(_ text: String, other: String) -> String {
        let common = zip(text, other).prefix { $0 == $1 }.count
        let start = max(common - 60, 0)
        return (start > 0 ? "…" : "") + String(text.dropFirst(start))
    }

    static func clip(_ text: String, limit: Int = 400) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
