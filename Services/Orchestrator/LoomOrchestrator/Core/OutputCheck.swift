import Foundation
import LoomContract

/// Whether a direct run's output is a JSON object valid against the agent's output schema.
enum OutputCheck {
    /// Why an output was refused, in words the model can act on.
    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Output text → a value valid against the schema, or why not. Tolerates a Markdown fence.
    static func check(_ text: String, against schema: JSONSchema) -> Result<JSONValue, Problem> {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```") {
            body = body.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
            if body.hasSuffix("```") { body = String(body.dropLast(3)) }
        }
        // The model's text is untrusted: the shared limits run before Foundation's parser, which
        // traps on deep enough input, and the model is told which limit it broke.
        do {
            try JSONLimits.standard.check(body)
        } catch {
            return .failure(Problem(description: "the output was refused before parsing: \(error)"))
        }
        guard let value = try? WireCodec.decodeValue(JSONValue.self, from: Data(body.utf8)) else {
            return .failure(Problem(description: "the output is not JSON"))
        }
        switch schema.validate(value) {
        case .success(let checked): return .success(checked)
        case .failure(let violations): return .failure(Problem(description: violations.description))
        }
    }
}
