import Foundation
import LoomMail

/// An RFC 5322 message with its MIME structure: headers (unfolded, encoded words decoded),
/// and either a decoded body or parts. Written by hand because no listed package parses MIME;
/// it covers what mail relays post: multipart nesting, quoted-printable and base64 transfer
/// encodings, charsets UTF-8/ASCII/Latin-1/Windows-1252, attachments by disposition or name.
struct MIMEMessage {
    var headers: [(name: String, value: String)]
    /// The decoded body of a leaf part; empty for multiparts.
    var body: Data
    var parts: [MIMEMessage]

    struct ParseError: Error { var reason: String }

    static let maxDepth = 8

    init(_ data: Data, depth: Int = 0) throws(ParseError) {
        guard depth <= Self.maxDepth else { throw ParseError(reason: "MIME parts are nested too deeply") }
        let bytes = [UInt8](data)
        let (headerEnd, bodyStart) = Self.headerBoundary(bytes)
        guard let headerText = String(bytes: bytes[..<headerEnd], encoding: .utf8) ?? String(bytes: bytes[..<headerEnd], encoding: .isoLatin1)
        else { throw ParseError(reason: "unreadable headers") }
        headers = Self.parseHeaders(headerText)
        let raw = Data(bytes[bodyStart...])
        parts = []
        body = Data()
        let type = contentType
        if type.value.hasPrefix("multipart/") {
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
                throw ParseError(reason: "a multipart without a boundary")
            }
            parts = try Self.split(raw, boundary: boundary).map { chunk throws(ParseError) in try MIMEMessage(chunk, depth: depth + 1) }
        } else {
            body = Self.decodeTransfer(raw, encoding: header("Content-Transfer-Encoding")?.lowercased() ?? "7bit")
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var contentType: HeaderValue { HeaderValue(header("Content-Type") ?? "text/plain; charset=us-ascii") }
    var disposition: HeaderValue? { header("Content-Disposition").map(HeaderValue.init) }

    var filename: String? { disposition?.parameters["filename"] ?? contentType.parameters["name"] }
    var isAttachment: Bool { disposition?.value == "attachment" || (filename != nil && !contentType.value.hasPrefix("text/")) }

    /// The body as text in its declared charset.
    var text: String {
        let charset = contentType.parameters["charset"]?.lowercased() ?? "us-ascii"
        let encoding: String.Encoding =
            switch charset {
            case "iso-8859-1", "latin1", "iso-8859-15": .isoLatin1
            case "windows-1252", "cp1252": .windowsCP1252
            default: .utf8
            }
        return String(data: body, encoding: encoding) ?? String(decoding: body, as: UTF8.self)
    }

    /// Every leaf part, depth first.
    var leaves: [MIMEMessage] { parts.isEmpty ? [self] : parts.flatMap(\.leaves) }

    /// The readable text: the first plain-text part that is not an attachment, else the first
    /// HTML part with its tags removed.
    var readableText: String {
        let candidates = leaves.filter { !$0.isAttachment }
        if let plain = candidates.first(where: { $0.contentType.value == "text/plain" }) { return plain.text }
        if let html = candidates.first(where: { $0.contentType.value == "text/html" }) { return HTMLText.plain(html.text) }
        return ""
    }

    var attachments: [MIMEMessage] { leaves.filter(\.isAttachment) }

    // MARK: Parsing

    /// Where the headers end and the body starts (after the first empty line, CRLF or LF).
    private static func headerBoundary(_ bytes: [UInt8]) -> (Int, Int) {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                if index + 1 < bytes.count, bytes[index + 1] == 10 { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 { return (index, index + 3) }
            }
            index += 1
        }
        return (bytes.count, bytes.count)
    }

    private static func parseHeaders(_ text: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for line in text.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                headers.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return headers.map { ($0.name, EncodedWords.decode($0.value)) }
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    private static func split(_ data: Data, boundary: String) throws(ParseError) -> [Data] {
        // "\r\n" is one Character in Swift, so normalize line ends before splitting on "\n".
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var parts: [Data] = []
        var current: [String]?
        var closed = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "--\(boundary)--" {
                if let current { parts.append(Data(current.joined(separator: "\n").utf8)) }
                closed = true
                break
            }
            if trimmed == "--\(boundary)" {
                if let current { parts.append(Data(current.joined(separator: "\n").utf8)) }
                current = []
                continue
            }
            current?.append(line)
        }
        if !closed, let current { parts.append(Data(current.joined(separator: "\n").utf8)) }
        guard !parts.isEmpty else { throw ParseError(reason: "no parts found for boundary '\(boundary)'") }
        return parts
    }

    static func decodeTransfer(_ data: Data, encoding: String) -> Data {
        switch encoding {
        case "base64":
            let compact = String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace }
            return Data(base64Encoded: compact, options: .ignoreUnknownCharacters) ?? Data()
        case "quoted-printable":
            return QuotedPrintable.decode(data)
        default:
            return data
        }
    }
}

/// A structured header value: `text/plain; charset="utf-8"` → value and parameters.
struct HeaderValue {
    var value: String
    var parameters: [String: String]

    init(_ raw: String) {
        let pieces = raw.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        value = pieces.first?.lowercased() ?? ""
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            parameters[key] = value
        }
        self.parameters = parameters
    }
}


/// RFC 2047 encoded words in headers: `=?utf-8?B?…?=` and `=?utf-8?Q?…?=`.
enum EncodedWords {
    static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let pattern = #"=\?([^?]+)\?([bBqQ])\?([^?]*)\?="#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return value }
        var result = ""
        var cursor = value.startIndex
        var lastWasWord = false
        for match in regex.matches(in: value, range: NSRange(value.startIndex..., in: value)) {
            guard let range = Range(match.range, in: value), let charset = Range(match.range(at: 1), in: value),
                let mode = Range(match.range(at: 2), in: value), let payload = Range(match.range(at: 3), in: value)
            else { continue }
            let between = String(value[cursor..<range.lowerBound])
            // Whitespace between two encoded words is not part of the text.
            if !(lastWasWord && between.trimmingCharacters(in: .whitespaces).isEmpty) { result += between }
            let raw = String(value[payload])
            let data =
                value[mode].uppercased() == "B"
                ? Data(base64Encoded: raw, options: .ignoreUnknownCharacters) ?? Data()
                : QuotedPrintable.decode(Data(raw.replacingOccurrences(of: "_", with: " ").utf8))
            let encoding: String.Encoding = value[charset].lowercased().contains("8859-1") ? .isoLatin1 : .utf8
            result += String(data: data, encoding: encoding) ?? String(decoding: data, as: UTF8.self)
            cursor = range.upperBound
            lastWasWord = true
        }
        result += value[cursor...]
        return result
    }
}
