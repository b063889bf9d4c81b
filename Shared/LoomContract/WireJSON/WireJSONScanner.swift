/// One pass over a JSON text that records its values as `WireJSONDocument` nodes.
///
/// Iterative, with an explicit stack of open containers: deep input costs heap, not stack,
/// and is refused past 512 levels, where Foundation's scanner refuses it too.
struct WireJSONScanner {
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var tape: [Int] = []
    private var position = 0
    /// Open containers: the node index, the values (or entries) seen, and for objects whether
    /// every key so far was plain.
    private var open: [(node: Int, count: Int, plainKeys: Bool)] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tape.reserveCapacity(bytes.count / 3 + 8)
    }

    private enum Byte {
        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
        static let colon = UInt8(ascii: ":"), openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    }

    /// False for anything Foundation's scanner throws on.
    mutating func scanDocument() -> Bool {
        guard scanValues() else { return false }
        while position < bytes.count {
            guard isWhitespace(bytes[position]) else { return false }
            position += 1
        }
        return true
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The next byte that is not whitespace, or nil at the end.
    private mutating func skipWhitespace() -> UInt8? {
        while position < bytes.count {
            let byte = bytes[position]
            if !isWhitespace(byte) { return byte }
            position += 1
        }
        return nil
    }

    /// Values until the top-level one is complete.
    private mutating func scanValues() -> Bool {
        while true {
            // A value starts here.
            guard let byte = skipWhitespace() else { return false }
            switch byte {
            case Byte.openBrace, Byte.openBracket:
                guard open.count < Self.maximumDepth else { return false }
                let isObject = byte == Byte.openBrace
                position += 1
                let node = tape.count
                tape.append(contentsOf: [(isObject ? WireJSONDocument.Tag.object : .array).rawValue, 0])
                open.append((node, 0, true))
                guard let first = skipWhitespace() else { return false }
                if first == (isObject ? Byte.closeBrace : Byte.closeBracket) {
                    position += 1
                    close()
                } else {
                    if isObject { guard scanKey() else { return false } }
                    continue
                }
            case Byte.quote:
                guard scanString() != nil else { return false }
            case UInt8(ascii: "t"):
                guard literal("true", .true) else { return false }
            case UInt8(ascii: "f"):
                guard literal("false", .false) else { return false }
            case UInt8(ascii: "n"):
                guard literal("null", .null) else { return false }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                scanNumber()
            default:
                return false
            }
            // After a value (a closed container is one too): count it in the container around
            // it, then close that container or find where the next value starts.
            while let top = open.last {
                open[open.count - 1].count = top.count + 1
                let isObject = tape[top.node] & 0xF == WireJSONDocument.Tag.object.rawValue
                let closer = isObject ? Byte.closeBrace : Byte.closeBracket
                guard let separator = skipWhitespace() else { return false }
                position += 1
                if separator == closer {
                    close()
                    continue
                }
                guard separator == Byte.comma else { return false }
                // Foundation accepts one trailing comma before the closer.
                guard let following = skipWhitespace() else { return false }
                if following == closer {
                    position += 1
                    close()
                    continue
                }
                if isObject { guard scanKey() else { return false } }
                break
            }
            if open.isEmpty { return true }
        }
    }

    /// Completes the innermost container's node: its count and where the next node starts.
    private mutating func close() {
        guard let top = open.popLast() else { return }
        let plain = top.plainKeys ? WireJSONDocument.objectKeysArePlain : 0
        tape[top.node] |= top.count << 8 | plain << 4
        tape[top.node + 1] = tape.count
    }

    /// A key, the whitespace after it and the colon.
    private mutating func scanKey() -> Bool {
        guard position < bytes.count, bytes[position] == Byte.quote, let flags = scanString() else { return false }
        let plain = WireJSONDocument.stringIsSimple | WireJSONDocument.stringIsASCII
        if flags & plain != plain { open[open.count - 1].plainKeys = false }
        guard skipWhitespace() == Byte.colon else { return false }
        position += 1
        return true
    }

    /// A string from its opening quote; its flags, or nil where Foundation's scan fails.
    private mutating func scanString() -> Int? {
        position += 1
        let start = position
        var bits: UInt8 = 0
        var simple = true
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Byte.quote {
                let flags = (simple ? WireJSONDocument.stringIsSimple : 0) |
                    (bits < 0x80 ? WireJSONDocument.stringIsASCII : 0)
                let tag = WireJSONDocument.Tag.string.rawValue
                tape.append(contentsOf: [tag | flags << 4 | (position - start) << 8, start])
                position += 1
                return flags
            }
            bits |= byte
            if byte == Byte.backslash {
                simple = false
                position += 1
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: "u") {
                    // Four bytes must follow, none of them a quote; their digits are checked later.
                    guard bytes.count - position > 4 else { return nil }
                    for offset in 1...4 where bytes[position + offset] == Byte.quote { return nil }
                    position += 4
                }
            } else if byte < 0x20 {
                simple = false
            }
            position += 1
        }
        return nil
    }

    /// Digits, signs, points and exponents, unchecked until decoded, as Foundation does.
    private mutating func scanNumber() {
        let start = position
        var exponent = false
        position += 1
        scan: while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
                position += 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                exponent = true
                position += 1
            default:
                break scan
            }
        }
        let flags = exponent ? WireJSONDocument.numberHasExponent : 0
        tape.append(contentsOf: [WireJSONDocument.Tag.number.rawValue | flags << 4 | (position - start) << 8, start])
    }

    private mutating func literal(_ word: StaticString, _ tag: WireJSONDocument.Tag) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { return false }
        position += count
        tape.append(contentsOf: [tag.rawValue, 0])
        return true
    }
}
