extension WireJSONDocument {
    /// A string node's value. Checked in the order Foundation's `JSONScanner.stringValue` checks
    /// (UTF-8 of each run between escapes, control characters, escapes), so the same text fails
    /// with the same error.
    func string(_ node: Int) throws(WireJSONError) -> String {
        let start = offset(node)
        let end = start + payload(node)
        let flags = flags(node)
        return try bytes.withUnsafeBufferPointer { buffer throws(WireJSONError) -> String in
            if flags & Self.stringIsSimple != 0 {
                if flags & Self.stringIsASCII != 0 {
                    return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                }
                guard let text = Self.validated(buffer, start, end) else {
                    throw .cannotConvertInputStringDataToUTF8(location: .init(at: start, in: buffer))
                }
                return text
            }
            return try Self.unescaped(buffer, start, end)
        }
    }

    /// The value node of the first entry whose key's bytes are `key`, for an object whose keys
    /// are all plain: one walk over the map and the text, comparing lengths first.
    func plainEntryValue(in object: Int, key: UnsafeBufferPointer<UInt8>) -> Int? {
        tape.withUnsafeBufferPointer { tape in
            bytes.withUnsafeBufferPointer { text in
                var entry = object + 2
                let end = tape[object + 1]
                while entry < end {
                    if tape[entry] >> 8 == key.count {
                        let start = tape[entry + 1]
                        if UnsafeBufferPointer(rebasing: text[start..<(start + key.count)]).elementsEqual(key) {
                            return entry + 2
                        }
                    }
                    let value = entry + 2
                    let tag = tape[value] & 0xF
                    let isContainer = tag == Tag.array.rawValue || tag == Tag.object.rawValue
                    entry = isContainer ? tape[value + 1] : value + 2
                }
                return nil
            }
        }
    }

    /// The text as a String when it is well-formed UTF-8 (what Foundation's `_tryFromUTF8` accepts).
    static func validated(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let text = UnsafeBufferPointer(rebasing: buffer[start..<end])
        guard isWellFormedUTF8(text) else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// Unicode's well-formed byte sequences (Table 3-7): no overlong forms, no surrogates,
    /// nothing past U+10FFFF, no truncated sequence.
    static func isWellFormedUTF8(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = text.count
        while index < count {
            let lead = text[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return false
            }
            guard count - index >= length else { return false }
            let second = text[index + 1]
            guard second >= low, second <= high else { return false }
            for offset in 2..<Swift.max(2, length) where text[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    private static func unescaped(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) throws(WireJSONError) -> String {
        var index = start
        while index < end, buffer[index] != UInt8(ascii: "\\"), buffer[index] & 0xE0 != 0 { index += 1 }
        guard var output = validated(buffer, start, index) else {
            throw .cannotConvertInputStringDataToUTF8(location: .init(at: start, in: buffer))
        }
        var chunkStart = index
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\\") {
                guard let chunk = validated(buffer, chunkStart, index) else {
                    throw .cannotConvertInputStringDataToUTF8(location: .init(at: chunkStart, in: buffer))
                }
                output += chunk
                index = try escape(buffer, index + 1, end, into: &output)
                chunkStart = index
            } else {
                guard byte & 0xE0 != 0 else {
                    throw .unescapedControlCharacterInString(ascii: byte, location: .init(at: index, in: buffer))
                }
                index += 1
            }
        }
        guard let chunk = validated(buffer, chunkStart, index) else {
            throw .cannotConvertInputStringDataToUTF8(location: .init(at: chunkStart, in: buffer))
        }
        output += chunk
        return output
    }

    /// One escape, from the byte after the backslash; the index after it.
    private static func escape(
        _ buffer: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int, into output: inout String
    ) throws(WireJSONError) -> Int {
        // The scan saw a byte after every backslash; the check keeps a bad map from trapping.
        guard index < end else { throw .unexpectedEscapedCharacter(ascii: 0, location: .init(at: index, in: buffer)) }
        switch buffer[index] {
        case UInt8(ascii: "\""): output.append("\"")
        case UInt8(ascii: "\\"): output.append("\\")
        case UInt8(ascii: "/"): output.append("/")
        case UInt8(ascii: "b"): output.append("\u{08}")
        case UInt8(ascii: "f"): output.append("\u{0C}")
        case UInt8(ascii: "n"): output.append("\u{0A}")
        case UInt8(ascii: "r"): output.append("\u{0D}")
        case UInt8(ascii: "t"): output.append("\u{09}")
        case UInt8(ascii: "u"): return try unicodeEscape(buffer, index + 1, end, into: &output)
        case let other: throw .unexpectedEscapedCharacter(ascii: other, location: .init(at: index, in: buffer))
        }
        return index + 1
    }

    /// `\uXXXX`, from the first hex digit, with a surrogate pair read as one scalar.
    private static func unicodeEscape(
        _ buffer: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int, into output: inout String
    ) throws(WireJSONError) -> Int {
        let lead = try hexQuad(buffer, index, end)
        let afterLead = index + 4
        guard UTF16.isLeadSurrogate(lead) else {
            guard let scalar = Unicode.Scalar(lead) else {
                throw .couldNotCreateUnicodeScalarFromUInt32(
                    location: .init(at: index, in: buffer), unicodeScalarValue: UInt32(lead))
            }
            output.unicodeScalars.append(scalar)
            return afterLead
        }
        guard end - afterLead >= 2, buffer[afterLead] == UInt8(ascii: "\\"),
              buffer[afterLead + 1] == UInt8(ascii: "u") else {
            throw .expectedLowSurrogateUTF8SequenceAfterHighSurrogate(location: .init(at: afterLead, in: buffer))
        }
        let trail = try hexQuad(buffer, afterLead + 2, end)
        guard UTF16.isTrailSurrogate(trail) else {
            throw .expectedLowSurrogateUTF8SequenceAfterHighSurrogate(location: .init(at: afterLead + 2, in: buffer))
        }
        output.unicodeScalars.append(UTF16.decode(UTF16.EncodedScalar([lead, trail])))
        return afterLead + 6
    }

    private static func hexQuad(
        _ buffer: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int
    ) throws(WireJSONError) -> UInt16 {
        let digitsEnd = min(index + 4, end)
        var value: UInt16 = 0
        var valid = digitsEnd - index == 4
        for position in index..<digitsEnd where valid {
            let byte = buffer[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                valid = false
                digit = 0
            }
            value = value << 4 | UInt16(digit)
        }
        guard valid else {
            let digits = String(decoding: UnsafeBufferPointer(rebasing: buffer[index..<digitsEnd]), as: UTF8.self)
            throw .invalidHexDigitSequence(digits, location: .init(at: index, in: buffer))
        }
        return value
    }
}
