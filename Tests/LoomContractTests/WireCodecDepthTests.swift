import Foundation
import LoomContract
import Testing

/// A frame nested deep enough to make Foundation's JSON scanner trap is refused as a contract
/// error before any decoder sees it, so a receiver counts it and carries on.
@Suite struct WireCodecDepthTests {
    static func frame(depth: Int) -> Data {
        let header = #"{"v":"1.0","id":"m1","kind":"control.health","traceparent":"x","body":"#
        return Data((header + String(repeating: "[", count: depth)).utf8)
    }

    @Test func deepFramesAreContractErrors() {
        for depth in [513, 100_000] {
            #expect {
                _ = try WireCodec().decode(Self.frame(depth: depth))
            } throws: { error in
                guard case ContractError.limitExceeded(.tooDeep) = error else { return false }
                return (error as? ContractError)?.code == "limit_exceeded"
            }
        }
    }

    @Test func decodeValueChecksLimitsFirst() throws {
        struct Ack: Decodable { var messageId: String }
        #expect(try WireCodec.decodeValue(Ack.self, from: Data(#"{"messageId":"m1"}"#.utf8)).messageId == "m1")
        let deep = Data((#"{"messageId":"# + String(repeating: "[", count: 100_000)).utf8)
        #expect {
            _ = try WireCodec.decodeValue(Ack.self, from: deep)
        } throws: { error in
            if case ContractError.limitExceeded(.tooDeep) = error { return true }
            return false
        }
        #expect(throws: ContractError.self) { _ = try WireCodec.decodeValue(Ack.self, from: Data("{".utf8)) }
    }

    @Test func framesMayNestDeeperThanExternalInput() {
        // An envelope wraps values admitted under the standard limit in a few levels of its own.
        #expect(JSONLimits.frame.maxDepth > JSONLimits.standard.maxDepth)
    }
}
