/// What was wrong with a string's or number's text, found when it was decoded.
///
/// These are the cases of swift-foundation's internal `JSONError` that its decoder throws at
/// decode time, with the same payloads. At the top of a decode they become Foundation's
/// `dataCorrupted` "not valid JSON"; an `init(from:)` that catches one (the envelope's body
/// does) shows it with `String(describing:)`, and `description` gives the text Foundation's
/// error gives there, so those messages do not change either.
enum WireJSONError: Error, CustomStringConvertible {
    /// Line and column as Foundation counts them (columns in bytes, CR LF one line break).
    struct SourceLocation {
        let line: Int
        let column: Int
        let index: Int

        init(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
            var index = 0
            var line = 1
            var column = 0
            let end = min(offset + 1, bytes.count)
            while index < end {
                switch bytes[index] {
                case 0x0D:
                    let next = index + 1
                    if next <= offset, next < bytes.count, bytes[next] == 0x0A { index = next }
                    line += 1
                    column = 0
                case 0x0A:
                    line += 1
                    column = 0
                default:
                    column += 1
                }
                index += 1
            }
            self.line = line
            self.column = column
            self.index = offset
        }

        var text: String {
            "FoundationEssentials.JSONError.SourceLocation(line: \(line), column: \(column), index: \(index))"
        }
    }

    case cannotConvertInputStringDataToUTF8(location: SourceLocation)
    case unexpectedCharacter(context: String?, ascii: UInt8, location: SourceLocation)
    case invalidHexDigitSequence(String, location: SourceLocation)
    case unexpectedEscapedCharacter(ascii: UInt8, location: SourceLocation)
    case unescapedControlCharacterInString(ascii: UInt8, location: SourceLocation)
    case expectedLowSurrogateUTF8SequenceAfterHighSurrogate(location: SourceLocation)
    case couldNotCreateUnicodeScalarFromUInt32(location: SourceLocation, unicodeScalarValue: UInt32)
    case numberWithLeadingZero(location: SourceLocation)
    case numberIsNotRepresentableInSwift(parsed: String)

    var description: String {
        switch self {
        case .cannotConvertInputStringDataToUTF8(let location):
            "cannotConvertInputStringDataToUTF8(location: \(location.text))"
        case .unexpectedCharacter(let context, let ascii, let location):
            "unexpectedCharacter(context: \(String(describing: context)), ascii: \(ascii), location: \(location.text))"
        case .invalidHexDigitSequence(let digits, let location):
            "invalidHexDigitSequence(\(String(reflecting: digits)), location: \(location.text))"
        case .unexpectedEscapedCharacter(let ascii, let location):
            "unexpectedEscapedCharacter(ascii: \(ascii), location: \(location.text))"
        case .unescapedControlCharacterInString(let ascii, let location):
            "unescapedControlCharacterInString(ascii: \(ascii), location: \(location.text))"
        case .expectedLowSurrogateUTF8SequenceAfterHighSurrogate(let location):
            "expectedLowSurrogateUTF8SequenceAfterHighSurrogate(location: \(location.text))"
        case .couldNotCreateUnicodeScalarFromUInt32(let location, let value):
            "couldNotCreateUnicodeScalarFromUInt32(location: \(location.text), unicodeScalarValue: \(value))"
        case .numberWithLeadingZero(let location):
            "numberWithLeadingZero(location: \(location.text))"
        case .numberIsNotRepresentableInSwift(let parsed):
            "numberIsNotRepresentableInSwift(parsed: \(String(reflecting: parsed)))"
        }
    }
}
