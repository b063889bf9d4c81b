import Foundation

/// Numbers read the way Foundation's decoder reads them: the same checks of the literal, the
/// same parsers (the C library's correctly rounded `strtod`/`strtof`, which Swift's
/// `Double(_:)` and `Float(_:)` call), and the same fallbacks and refusals.
extension WireJSONDocument {
    func integer<T: FixedWidthInteger>(_ node: Int, as type: T.Type) throws(WireJSONError) -> T {
        let start = offset(node)
        let end = start + payload(node)
        let hasExponent = flags(node) & Self.numberHasExponent != 0
        return try bytes.withUnsafeBufferPointer { buffer throws(WireJSONError) -> T in
            let digits = try Self.prevalidate(buffer, start, end, hasExponent: hasExponent)
            if let value: T = Self.plainInteger(buffer, start, end) { return value }
            // Foundation's slow path: "34.0" or "1e3" through a Double, past 2^53 through Decimal.
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            if let double = Self.parsedDouble(text) {
                guard let value = T(exactly: double) else { throw .numberIsNotRepresentableInSwift(parsed: text) }
                if double.magnitude < 9_007_199_254_740_992 { return value }
                guard let exact = T(wireTruncatingLiteral: text) else {
                    throw .numberIsNotRepresentableInSwift(parsed: text)
                }
                return exact
            }
            throw Self.malformedNumber(buffer, digits, end, text: text)
        }
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ node: Int, as type: T.Type
    ) throws(WireJSONError) -> T {
        let start = offset(node)
        let end = start + payload(node)
        let hasExponent = flags(node) & Self.numberHasExponent != 0
        return try bytes.withUnsafeBufferPointer { buffer throws(WireJSONError) -> T in
            let digits = try Self.prevalidate(buffer, start, end, hasExponent: hasExponent)
            // Up to 15 digits and no fraction: exact in a Double, so strtod's answer is known.
            if T.self == Double.self, end - start <= 16, let whole: Int64 = Self.plainInteger(buffer, start, end),
               whole.magnitude < 1_000_000_000_000_000 {
                let value = whole == 0 && buffer[start] == UInt8(ascii: "-") ? -0.0 : Double(whole)
                if let result = value as? T { return result }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            guard let value = T(text) else { throw Self.malformedNumber(buffer, digits, end, text: text) }
            // strtod gives infinity past the range and zero below it; Foundation refuses both.
            guard value.isFinite, value != 0 || Self.isTrueZero(buffer, start, end) else {
                throw .numberIsNotRepresentableInSwift(parsed: text)
            }
            return value
        }
    }

    /// Decimal keeps the literal's digits; a literal strtod cannot read whole is malformed, as
    /// it is to Foundation's own Decimal parser.
    func decimal(_ node: Int) throws(WireJSONError) -> Decimal {
        let start = offset(node)
        let end = start + payload(node)
        let hasExponent = flags(node) & Self.numberHasExponent != 0
        return try bytes.withUnsafeBufferPointer { buffer throws(WireJSONError) -> Decimal in
            let digits = try Self.prevalidate(buffer, start, end, hasExponent: hasExponent)
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            guard Double(text) != nil else { throw Self.malformedNumber(buffer, digits, end, text: text) }
            guard let value = Decimal(string: text) else { throw .numberIsNotRepresentableInSwift(parsed: text) }
            return value
        }
    }

    private static func parsedDouble(_ text: String) -> Double? { Double(text) }

    /// `_parseInteger`: an optional sign and digits only; nil on anything else or overflow.
    static func plainInteger<T: FixedWidthInteger>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) -> T? {
        var index = start
        let negative = index < end && buffer[index] == UInt8(ascii: "-")
        if negative || (index < end && buffer[index] == UInt8(ascii: "+")) { index += 1 }
        guard index < end else { return nil }
        var result: T = 0
        while index < end {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(T(digit)) :
                shifted.addingReportingOverflow(T(digit))
            guard !overflowA, !overflowB else { return nil }
            result = next
            index += 1
        }
        return result
    }

    /// `JSONScanner.prevalidateJSONNumber`: no leading zero, a digit after `-` and before the
    /// exponent, a digit last. Returns where the digits begin.
    private static func prevalidate(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, hasExponent: Bool
    ) throws(WireJSONError) -> Int {
        guard start < end else { throw .numberIsNotRepresentableInSwift(parsed: "") }
        let firstDigit: Int
        switch buffer[start] {
        case UInt8(ascii: "0"):
            try leadingZero(buffer, start + 1, end)
            firstDigit = start
        case UInt8(ascii: "-"):
            guard end - start > 1 else {
                throw .unexpectedCharacter(
                    context: "at end of number", ascii: buffer[start], location: .init(at: start, in: buffer))
            }
            switch buffer[start + 1] {
            case UInt8(ascii: "0"): try leadingZero(buffer, start + 2, end)
            case UInt8(ascii: "1")...UInt8(ascii: "9"): break
            case let other:
                throw .unexpectedCharacter(
                    context: "after '-' in number", ascii: other, location: .init(at: start + 1, in: buffer))
            }
            firstDigit = start + 1
        default:
            firstDigit = start
        }
        if hasExponent {
            var index = firstDigit + 1
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    guard isDigit(buffer[index - 1]) else {
                        throw .unexpectedCharacter(
                            context: "in number", ascii: byte, location: .init(at: index, in: buffer))
                    }
                    break
                }
                index += 1
            }
        }
        let last = buffer[end - 1]
        guard isDigit(last) else {
            throw .unexpectedCharacter(
                context: "at end of number", ascii: last, location: .init(at: end - 1, in: buffer))
        }
        return firstDigit
    }

    private static func leadingZero(
        _ buffer: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int
    ) throws(WireJSONError) {
        guard index < end else { return }
        switch buffer[index] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return
        case UInt8(ascii: "0")...UInt8(ascii: "9"): throw .numberWithLeadingZero(location: .init(at: index, in: buffer))
        case let other:
            throw .unexpectedCharacter(context: "in number", ascii: other, location: .init(at: index, in: buffer))
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// `isTrueZero`: no digit 1-9 before the exponent.
    private static func isTrueZero(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        for index in start..<end {
            switch buffer[index] {
            case UInt8(ascii: "1")...UInt8(ascii: "9"): return false
            case UInt8(ascii: "e"), UInt8(ascii: "E"): return true
            default: continue
            }
        }
        return true
    }

    /// `JSONScanner.validateNumber`: the first byte that makes the literal malformed.
    private static func malformedNumber(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, text: String
    ) -> WireJSONError {
        enum Part { case operand, decimalPoint, exponent, exponentSign }
        var index = start
        while index < end, isDigit(buffer[index]) { index += 1 }
        var part = Part.operand
        var digits = index - start
        while index < end {
            let byte = buffer[index]
            let fine: Bool
            switch byte {
            case _ where isDigit(byte):
                digits += 1
                fine = true
            case UInt8(ascii: "."):
                fine = digits > 0 && part == .operand
                (part, digits) = (.decimalPoint, 0)
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                fine = digits > 0 && (part == .operand || part == .decimalPoint)
                (part, digits) = (.exponent, 0)
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                fine = digits == 0 && part == .exponent
                (part, digits) = (.exponentSign, 0)
            default:
                fine = false
            }
            guard fine else {
                return .unexpectedCharacter(context: "in number", ascii: byte, location: .init(at: index, in: buffer))
            }
            index += 1
        }
        // Foundation stops the process here (it cannot happen for a literal its parsers refused).
        return .numberIsNotRepresentableInSwift(parsed: text)
    }
}

extension FixedWidthInteger {
    /// What Foundation's decoder gets by reading a valid literal as a Decimal and converting it
    /// with its own `init?(_: Decimal)`: the fraction dropped, nil past the range (a negative
    /// value's magnitude must fit too). Worked out on the literal's digits, which is exact for
    /// every value that can reach here (below 2^64 in magnitude).
    init?(wireTruncatingLiteral text: String) {
        var bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes.removeFirst() }
        var exponent = 0
        if let marker = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: bytes[(marker + 1)...], as: UTF8.self)) else { return nil }
            exponent = value
            bytes.removeSubrange(marker...)
        }
        var pointPosition = bytes.count
        if let point = bytes.firstIndex(of: UInt8(ascii: ".")) {
            pointPosition = point
            bytes.remove(at: point)
        }
        // Digits left of the decimal point once the exponent has moved it.
        let wholeDigits = pointPosition + exponent
        guard wholeDigits < 64 else { return nil }
        var magnitude: UInt64 = 0
        for position in 0..<Swift.max(0, wholeDigits) {
            let digit = position < bytes.count ? UInt64(bytes[position] &- UInt8(ascii: "0")) : 0
            let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            magnitude = sum
        }
        guard let sized = Self(exactly: magnitude) else { return nil }
        if negative {
            guard Self.isSigned || sized == 0 else { return nil }
            let (negated, overflow) = Self.zero.subtractingReportingOverflow(sized)
            guard !overflow else { return nil }
            self = negated
        } else {
            self = sized
        }
    }
}
