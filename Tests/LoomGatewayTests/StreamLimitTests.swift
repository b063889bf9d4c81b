import Foundation
import Testing

@testable import LoomGateway

/// A provider's event stream is read in time proportional to its size, and an event cannot
/// grow without bound.
struct StreamLimitTests {
    @Test func aLongLineInSmallChunksIsScannedOnce() throws {
        // Rescanning the open line on every chunk made this take minutes.
        var parser = ServerSentEventParser()
        let line = Array(("data: " + String(repeating: "x", count: 1 << 20)).utf8)
        var events: [ServerSentEvent] = []
        for start in stride(from: 0, to: line.count, by: 64) {
            events += try parser.consume(line[start..<min(start + 64, line.count)])
        }
        events += try parser.consume(Array("\r\n\r\n".utf8))
        #expect(events.count == 1)
        #expect(events.first?.data.utf8.count == 1 << 20)
    }

    @Test func anEventWithoutEndIsRefusedPastTheLimit() {
        var parser = ServerSentEventParser()
        let line = Array(("data: " + String(repeating: "y", count: 1 << 16) + "\n").utf8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            for _ in 0...(ServerSentEventParser.maxLineBytes / (1 << 16)) { _ = try parser.consume(line) }
        }
    }
}
