import Foundation
import LoomContract
import Testing

@testable import LoomOrchestrator

/// A direct run's model output is untrusted text: output too deep to parse safely goes back to
/// the model as invalid, like any other output that is not the expected JSON.
struct DirectOutputLimitTests {
    let schema = JSONSchema(.object(["type": .string("object")]))

    @Test func deepOutputIsAProblemForTheModel() {
        for depth in [513, 100_000] {
            let text = "{\"a\":" + String(repeating: "[", count: depth)
            guard case .failure(let problem) = DirectRunner.check(text, against: schema) else {
                Issue.record("deep output was accepted")
                continue
            }
            #expect(problem.description.contains("nested deeper than 64"))
        }
    }

    @Test func ordinaryOutputStillPasses() throws {
        let result = DirectRunner.check("```json\n{\"label\": \"[not a bracket]\"}\n```", against: schema)
        #expect(try result.get() == .object(["label": .string("[not a bracket]")]))
    }
}
