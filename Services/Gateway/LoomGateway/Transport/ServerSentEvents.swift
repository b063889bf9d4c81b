import Foundation

/// One Server-Sent Event: its `event:` name (nil when absent) and its `data:` lines joined.
struct ServerSentEvent: Sendable, Equatable {
    var event: String?
    var data: String
}

/// Splits a byte stream into Server-Sent Events, whatever the chunk boundaries: bytes are
/// kept until a blank line ends an event. Lines end in LF, CRLF or CR.
struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var event: String?
    private var data: [String] = []
    private var dataBytes = 0
    /// Bytes of the unfinished line already looked at, so a line arriving in many small chunks
    /// is scanned once rather than from its start on every chunk.
    private var scanned = 0
    /// A line, or one event's data, longer than this means the peer is not speaking SSE.
    static let maxLineBytes = 4 * 1024 * 1024

    struct LineTooLong: Error {}

    mutating func consume(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        buffer.append(contentsOf: bytes)
        var events: [ServerSentEvent] = []
        var start = 0
        var index = scanned
        while index < buffer.count {
            let byte = buffer[index]
            if byte == 0x0A || byte == 0x0D {
                // A CR at the very end may be the first half of CRLF: wait for the next byte.
                if byte == 0x0D, index + 1 == buffer.count { break }
                let line = String(decoding: buffer[start..<index], as: UTF8.self)
                if byte == 0x0D, buffer[index + 1] == 0x0A { index += 1 }
                index += 1
                start = index
                if let finished = take(line) { events.append(finished) }
                if dataBytes > Self.maxLineBytes { throw LineTooLong() }
            } else {
                index += 1
            }
        }
        buffer.removeFirst(start)
        scanned = index - start
        if buffer.count > Self.maxLineBytes { throw LineTooLong() }
        return events
    }

    /// The event still open when the stream ends (a peer may omit the final blank line).
    mutating func finish() -> ServerSentEvent? {
        if !buffer.isEmpty {
            let line = String(decoding: buffer, as: UTF8.self)
            buffer.removeAll()
            if let finished = take(line) { return finished }
        }
        return take("")
    }

    private mutating func take(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer {
                event = nil
                data = []
                dataBytes = 0
            }
            return data.isEmpty ? nil : ServerSentEvent(event: event, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            dataBytes += value.utf8.count + 1
        default: break
        }
        return nil
    }
}
