import Foundation

/// How Foundation's JSON writer spells strings and numbers, written into a byte buffer.
enum WireJSONText {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let null: [UInt8] = Array("null".utf8)
    static let `true`: [UInt8] = Array("true".utf8)
    static let `false`: [UInt8] = Array("false".utf8)
    static let emptyObject: [UInt8] = Array("{}".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    struct Written {
        /// The bytes between the quotes are the string's own UTF-8 (nothing was escaped).
        var verbatim: Bool
        var ascii: Bool
        var length: Int
    }

    /// A quoted string. Escaped exactly as Foundation's `JSONWriter` does: `"`, `\` and the
    /// C0 controls, with `\b \f \n \r \t` for their own and `\u00xx` (lowercase) for the rest;
    /// `/`, DEL and everything non-ASCII are written as they are.
    @discardableResult
    static func appendString(_ string: String, to bytes: inout [UInt8]) -> Written {
        var text = string
        return text.withUTF8 { utf8 in
            bytes.append(quote)
            var mark = 0
            var verbatim = true
            var bits: UInt8 = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                bits |= byte
                guard byte < 0x20 || byte == quote || byte == backslash else { continue }
                verbatim = false
                if mark < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index])) }
                appendEscape(byte, to: &bytes)
                mark = index + 1
            }
            if mark < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...])) }
            bytes.append(quote)
            return Written(verbatim: verbatim, ascii: bits < 0x80, length: utf8.count)
        }
    }

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(backslash)
        switch byte {
        case quote, backslash: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0xF)])
        }
    }

    /// Decimal digits, as `description` writes them, without making a String.
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        guard T.bitWidth <= 64 else {
            bytes.append(contentsOf: value.description.utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        if magnitude < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = digits.count  // filled from the end: 20 digits hold any UInt64
            while magnitude > 0 {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    /// Foundation writes `description` without a trailing `.0`. Whole numbers below 1e15 print
    /// as plain digits there, so they are written as integers here without the String.
    static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        if value.magnitude < 1e15, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus {
                bytes.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "0")])
            } else {
                appendInteger(Int64(value), to: &bytes)
            }
            return
        }
        appendDescription(value.description, to: &bytes)
    }

    static func appendFloat(_ value: Float, to bytes: inout [UInt8]) {
        if value.magnitude < 1e7, value.rounded(.towardZero) == value {
            if value == 0, value.sign == .minus {
                bytes.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "0")])
            } else {
                appendInteger(Int64(value), to: &bytes)
            }
            return
        }
        appendDescription(value.description, to: &bytes)
    }

    private static func appendDescription(_ description: String, to bytes: inout [UInt8]) {
        var text = description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Foundation's error for NaN and infinities under its default `.throw` strategy.
    static func nonConforming<T: BinaryFloatingPoint>(_ value: T, path: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(
            value, .init(codingPath: path, debugDescription: "Unable to encode \(T.self).\(value) directly in JSON."))
    }
}
