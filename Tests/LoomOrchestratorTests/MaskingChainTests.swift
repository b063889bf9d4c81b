import Foundation
import LoomConfig
import LoomContract
import Testing

@testable import LoomOrchestrator

/// Masking down a chain of agents and into context blocks: a child never masks less than its
/// parent, and a block is cut after masking, never through a token.
struct MaskingChainTests {
    @Test func theStricterPresetWins() {
        let presets = TrustSettings.MaskingPreset.allCases
        for first in presets {
            for second in presets {
                let chosen = TrustSettings.MaskingPreset.strictest(first, second)
                #expect(chosen == (presets.firstIndex(of: first)! >= presets.firstIndex(of: second)! ? first : second))
            }
        }
        #expect(TrustSettings.MaskingPreset.strictest(.off, .strict) == .strict)
        #expect(TrustSettings.MaskingPreset.strictest(.strict, .standard) == .strict)
    }

    @Test func aChildUnderAStrictParentMasksAsStrict() throws {
        var child = try CoreWorld.agent()
        child.trust.masking = .off
        let held = DirectRunner.held(child, to: .strict)
        #expect(held.trust.masking == .strict)
        // A stricter child keeps its own preset.
        var strictChild = child
        strictChild.trust.masking = .strict
        #expect(DirectRunner.held(strictChild, to: .standard).trust.masking == .strict)

        // The run asks trust to mask its input first, though the child's own preset is off.
        let schema = JSONSchema(.object(["type": .string("object")]))
        let input = JSONValue.object(["text": .string("[EMAIL_1] wrote")])
        func firstCall(_ agent: AgentDefinition) -> CallRequest? {
            DirectCore(executionId: "exe-c", agentName: "child", agent: agent, schema: schema, input: input)
                .decide([:]).calls.first?.request
        }
        guard case .maskInput(let masked)? = firstCall(held) else {
            Issue.record("the held child did not mask its input first")
            return
        }
        #expect(masked == input)
        if case .maskInput? = firstCall(child) { Issue.record("an unheld child with masking off masked") }
    }

    @Test func aMaskingFloorIsAPresetOrNothing() {
        #expect(DirectRunner.maskingFloor(nil) == .off)
        #expect(DirectRunner.maskingFloor("strict") == .strict)
        #expect(DirectRunner.maskingFloor("loose") == nil)
    }

    @Test func aBlockIsCutBeforeATokenNeverThroughIt() {
        let masked = "subject: Refund card [CARD_1] and write to [EMAIL_1] about it"
        let card = masked.distance(from: masked.startIndex, to: masked.range(of: "[CARD_1]")!.lowerBound)
        let email = masked.distance(from: masked.startIndex, to: masked.range(of: "[EMAIL_1]")!.lowerBound)
        #expect(ContextAssembler.cap(masked, card + 4) == "subject: Refund card …[truncated]")
        #expect(ContextAssembler.cap(masked, email + 3) == "subject: Refund card [CARD_1] and write to …[truncated]")
        // A cut just after a token keeps it; one in plain text cuts there; a short block stays whole.
        #expect(ContextAssembler.cap(masked, card + 8) == "subject: Refund card [CARD_1]…[truncated]")
        #expect(ContextAssembler.cap(masked, 7) == "subject…[truncated]")
        #expect(ContextAssembler.cap(masked, 500) == masked)
        // An opening bracket that is not a token is cut like any text.
        #expect(ContextAssembler.cap("see [note] and more", 7) == "see [no…[truncated]")
    }
}
