/// The readable text of an HTML mail part: script and style blocks dropped, `<br>` and `</p>`
/// as line breaks, other tags removed, the common entities replaced.
///
/// One pass over the bytes. The regular expressions this replaces scanned to the end of the
/// text for every `<` without a matching `>` (and every `<script` without its closing tag), so
/// a mail of a few hundred kilobytes of `<` held the request for minutes.
enum HTMLText {
    static func plain(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var closes = Finder(bytes)
        var blockEnds = ["script": Finder(bytes), "style": Finder(bytes)]
        var index = 0
        while index < bytes.count {
            guard bytes[index] == Byte.open, let close = closes.next(Byte.closeTag, from: index + 1), close > index + 1
            else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let inside = bytes[(index + 1)..<close]
            if let name = blockEnds.keys.first(where: { hasPrefix(inside, $0) }),
                let end = blockEnds[name]?.next(Array("</\(name)>".utf8), from: close + 1)
            {
                index = end + name.utf8.count + 3
                continue
            }
            if isLineBreak(inside) { output.append(Byte.newline) }
            index = close + 1
        }
        return String(decoding: output, as: UTF8.self)
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `br`, `br/`, `br /` or `/p`, in any case.
    private static func isLineBreak(_ inside: ArraySlice<UInt8>) -> Bool {
        if equalsIgnoringCase(inside, "/p") { return true }
        guard hasPrefix(inside, "br") else { return false }
        var rest = inside.dropFirst(2).drop { [Byte.space, Byte.tab, Byte.newline, Byte.carriageReturn].contains($0) }
        if rest.first == Byte.slash { rest = rest.dropFirst() }
        return rest.isEmpty
    }

    private static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        bytes.count >= prefix.utf8.count && equalsIgnoringCase(bytes.prefix(prefix.utf8.count), prefix)
    }

    private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ text: String) -> Bool {
        bytes.count == text.utf8.count && zip(bytes, text.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// The next occurrence of one needle at or after a position that only moves forward; the
    /// answer is remembered until the position passes it, so all searches together read the
    /// text about once.
    private struct Finder {
        let bytes: [UInt8]
        var searchedFrom = 0
        var found: Int?
        var exhausted = false

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func next(_ needle: [UInt8], from position: Int) -> Int? {
            if let found, found >= position { return found }
            if exhausted { return nil }
            var start = max(position, searchedFrom)
            while start + needle.count <= bytes.count {
                if zip(bytes[start..<(start + needle.count)], needle).allSatisfy({ HTMLText.lowercased($0) == $1 }) {
                    found = start
                    searchedFrom = start + 1
                    return start
                }
                start += 1
            }
            exhausted = true
            return nil
        }
    }

    private enum Byte {
        static let open = UInt8(ascii: "<")
        static let closeTag = Array(">".utf8)
        static let slash = UInt8(ascii: "/")
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let newline = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
    }
}
