import Foundation
import LoomContract
import Testing

/// The wire format is pinned by fixtures: decoding them must give these values, and encoding
/// those values must give the fixture's exact bytes.
@Suite struct GoldenFixtureTests {
    let codec = WireCodec()

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        var data = try Data(contentsOf: url)
        while data.last == UInt8(ascii: "\n") { data.removeLast() }
        return data
    }

    @Test func inboundMessageFixtureDecodesAndReencodesByteForByte() throws {
        let data = try Self.fixture("inbound-message")
        let envelope = try codec.decode(data)
        #expect(envelope.id == "in_0001")
        #expect(envelope.kind == .inboundMessage)
        #expect(envelope.contractVersion == ContractVersion(major: 1, minor: 0))
        #expect(envelope.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(envelope.deadline == Date(timeIntervalSince1970: 1_767_323_075.5))
        let inbound = try #require(envelope.payload(InboundMessage.self))
        #expect(inbound.text == "Hi, my email is ana@example.com")
        #expect(inbound.sessionKey == "demo-1")
        #expect(inbound.replyTo == "ingress-1")
        #expect(inbound.channel == .api)
        #expect(try codec.encode(envelope) == data)
    }

    @Test func outboundMessageFixtureDecodesAndReencodesByteForByte() throws {
        let data = try Self.fixture("outbound-message")
        let envelope = try codec.decode(data)
        #expect(envelope.correlation == Correlation(sessionId: "ses_1", executionId: "exe_1", turnId: "turn_1"))
        let outbound = try #require(envelope.payload(OutboundMessage.self))
        #expect(outbound.status == .completed)
        #expect(outbound.error == nil)
        #expect(try codec.encode(envelope) == data)
    }
}
