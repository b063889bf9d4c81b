import Foundation

/// Splits a server's stdout into JSON-RPC messages, one a line, each at most `limit` bytes. A
/// longer line is thrown away whole (up to its newline) and counted, never buffered: a hostile
/// server cannot make the tools service hold more than `limit` bytes of one message.
struct McpLineFramer: Sendable {
    let limit: Int
    private var pending = Data()
    private var discarding = false
    private(set) var oversized = 0

    init(limit: Int) { self.limit = limit }

    /// The complete lines in `bytes` (after what came before), without their newlines; empty
    /// lines are skipped.
    mutating func feed(_ bytes: some Collection<UInt8>) -> [Data] {
        var lines: [Data] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            guard let newline = rest.firstIndex(of: 0x0a) else {
                append(rest)
                break
            }
            append(rest[..<newline])
            if !discarding, !pending.isEmpty {
                var line = pending
                if line.last == 0x0d { line.removeLast() }
                if !line.isEmpty { lines.append(line) }
            }
            pending = Data()
            discarding = false
            rest = rest[rest.index(after: newline)...]
        }
        return lines
    }

    private mutating func append(_ part: some Collection<UInt8>) {
        guard !discarding else { return }
        if pending.count + part.count > limit {
            pending = Data()
            discarding = true
            oversized += 1
        } else {
            pending.append(contentsOf: part)
        }
    }
}
