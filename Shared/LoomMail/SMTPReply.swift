/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its lines of text, a multi-line
/// reply (`250-…` continued, `250 …` last) with one entry per line.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var text: String { lines.joined(separator: " ") }

    /// The extensions an EHLO reply names (upper-cased keywords, with their parameters), the
    /// first line being the greeting.
    public var extensions: [String: [String]] {
        var found: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            found[keyword] = words.dropFirst().map { $0.uppercased() }
        }
        return found
    }
}

/// Cuts the bytes a server sends into replies. Bytes, not a String: "\r\n" is one Character,
/// so a String search for "\n" misses it. A hostile server gets a failure, not unbounded memory.
public struct SMTPReplyParser: Sendable {
    public static let maximumLineBytes = 64 * 1024
    public static let maximumLines = 256

    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var code: Int?

    public init() {}

    /// Whether bytes arrived that no reply has used yet (after STARTTLS's 220, such bytes would
    /// be read as if they came over TLS: a plaintext injection).
    public var hasPendingBytes: Bool { !pending.isEmpty || !lines.isEmpty }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) throws(SMTPFailure) where Bytes.Element == UInt8 {
        pending += bytes
        if pending.count > Self.maximumLineBytes && !pending.prefix(Self.maximumLineBytes).contains(10) {
            throw SMTPFailure(code: "smtp_protocol", detail: "an over-long reply line", retryable: false)
        }
    }

    /// The next complete reply, or nil until more bytes arrive.
    public mutating func next() throws(SMTPFailure) -> SMTPReply? {
        while let newline = pending.firstIndex(of: 10) {
            var bytes = pending[..<newline]
            if bytes.last == 13 { bytes = bytes.dropLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            pending.removeFirst(newline + 1)
            let utf8 = Array(line.utf8)
            guard utf8.count >= 3, utf8.prefix(3).allSatisfy({ (48...57).contains($0) }),
                let lineCode = Int(line.prefix(3)),
                utf8.count == 3 || utf8[3] == 32 || utf8[3] == 45
            else {
                throw SMTPFailure(
                    code: "smtp_protocol", detail: "not an SMTP reply: \(line.prefix(80))", retryable: false)
            }
            if let code, code != lineCode {
                throw SMTPFailure(
                    code: "smtp_protocol", detail: "a multi-line reply changed its code", retryable: false)
            }
            code = lineCode
            lines.append(String(line.dropFirst(4)))
            guard lines.count <= Self.maximumLines else {
                throw SMTPFailure(code: "smtp_protocol", detail: "a reply of too many lines", retryable: false)
            }
            if utf8.count == 3 || utf8[3] == 32 {
                defer { (lines, code) = ([], nil) }
                return SMTPReply(code: lineCode, lines: lines)
            }
        }
        return nil
    }
}
