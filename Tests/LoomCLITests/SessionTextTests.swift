import Foundation
import LoomContract
import Testing

@testable import LoomCLI

/// `loom sessions list` has a header and the session key; `show` names each message's provider id.
@Suite struct SessionTextTests {
    static let session = InteractionSession(
        id: "ses_1", channel: .slack, endpoint: "slack", continuityKey: "C42:1700000000.1", participant: "U1",
        agent: "support", lastActivityAt: Date(timeIntervalSince1970: 1_700_000_000), turnCount: 3)

    @Test func theListHasAHeaderAndTheKey() {
        let lines = SessionText.list([Self.session]).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("SESSION") && lines[0].contains("KEY"))
        #expect(lines[1].contains("C42:1700000000.1") && lines[1].contains("slack/slack"))
        // The key column starts where its header does.
        #expect(lines[0].range(of: "KEY")?.lowerBound.utf16Offset(in: lines[0])
            == lines[1].range(of: "C42")?.lowerBound.utf16Offset(in: lines[1]))
        #expect(SessionText.list([]) == "no sessions")
    }

    @Test func showNamesTheProvidersMessageId() {
        let message = InteractionMessage(
            id: "in_1", sessionId: "ses_1", executionId: nil, direction: .inbound, channel: .slack,
            externalMessageId: "Ev123", sender: "U1", recipient: "bot", body: "hi", deliveryStatus: .received)
        let text = SessionText.show(Self.session, [message])
        #expect(text.contains("key C42:1700000000.1") && text.contains("→ [received] U1: hi  [id Ev123]"), "\(text)")
    }
}
