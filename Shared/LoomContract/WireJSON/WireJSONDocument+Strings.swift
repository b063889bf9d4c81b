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

    /// Whether a string node's bytes are exactly `key` (only for simple nodes).
    func stringBytesEqual(_ node: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = payload(node)
        guard length == key.count else { return false }
        let start = offset(node)
        return bytes.withUnsafeBufferPointer { buffer in
            UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]).elementsEqual(key)
        }
    }

    static func validated(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        String(validating: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
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
