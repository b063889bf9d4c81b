import Foundation
import Testing

@testable import LoomContract

/// The text checks under the decoder: UTF-8 validation and how errors print.
extension WireJSONDecoderTests {
    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        var random = SeededRandom(seed: 0xC0FFEE)
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<50_000 {
            let count = Int.random(in: 0...6, using: &random)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &random)
                    ? interesting.randomElement(using: &random) ?? 0 : UInt8.random(in: 0...255, using: &random)
            }
            let ours = bytes.withUnsafeBufferPointer { WireJSONDocument.isWellFormedUTF8($0) }
            #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test func errorsPrintTheirPathsAsFoundationsDo() {
        for input in [#"{"a":{"b":1e400}}"#, #"[1,[2,"x"]]"#, #"{"10":[true,{"k":1e999}]}"#] {
            let data = Data(input.utf8)
            let viaFoundation = describe { try foundation.decode([String: [String: Int]].self, from: data) }
            #expect(viaFoundation == describe { try wire.decode([String: [String: Int]].self, from: data) })
            var printedFoundation = ""
            var printedWire = ""
            do { _ = try foundation.decode(JSONValue.self, from: data) } catch { printedFoundation = "\(error)" }
            do { _ = try wire.decode(JSONValue.self, from: data) } catch { printedWire = "\(error)" }
            #expect(printedWire == printedFoundation)
            do { _ = try foundation.decode([[Int]].self, from: data) } catch { printedFoundation = "\(error)" }
            do { _ = try wire.decode([[Int]].self, from: data) } catch { printedWire = "\(error)" }
            #expect(printedWire == printedFoundation)
            #expect(printedWire.contains("Expected to decode"))
        }
    }
}
