import Foundation

/// Bounds checked on untrusted bytes before any Foundation decoder sees them.
///
/// Foundation's JSON scanner recurses per nesting level and traps at depth 513, so a few hundred
/// `[` characters would end the process. This scanner walks the bytes once, iteratively, and
/// refuses anything deeper, longer or larger than the limits; it does not validate JSON (the
/// decoder that runs afterwards does), it only guarantees that decoder a bounded input.
public struct JSONLimits: Sendable, Equatable {
    /// Arrays and objects open at once.
    public var maxDepth: Int
    /// Bytes between a string's quotes, escapes counted as written.
    public var maxStringBytes: Int
    /// Characters in one number literal.
    public var maxNumberLength: Int
    /// Bytes in the whole document.
    public var maxDocumentBytes: Int

    public static let defaultMaxDepth = 64
    public static let defaultMaxStringBytes = 4 << 20
    public static let defaultMaxNumberLength = 100
    public static let defaultMaxDocumentBytes = 16 << 20

    /// The limits for bytes from outside the suite: HTTP bodies, provider answers, model output.
    public static let standard = JSONLimits()

    /// The limits for bus frames. Deeper than ``standard`` because an envelope wraps values that
    /// were admitted under ``standard`` in a few levels of its own; still far from the depth at
    /// which Foundation traps.
    public static let frame = JSONLimits(maxDepth: 2 * JSONLimits.defaultMaxDepth)

    public init(
        maxDepth: Int = JSONLimits.defaultMaxDepth, maxStringBytes: Int = JSONLimits.defaultMaxStringBytes,
        maxNumberLength: Int = JSONLimits.defaultMaxNumberLength,
        maxDocumentBytes: Int = JSONLimits.defaultMaxDocumentBytes
    ) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberLength = maxNumberLength
        self.maxDocumentBytes = maxDocumentBytes
    }

    public func check(_ data: Data) throws(JSONLimitError) {
        guard data.count <= maxDocumentBytes else {
            throw .documentTooLarge(bytes: data.count, limit: maxDocumentBytes)
        }
        if let failure = data.withUnsafeBytes({ scan($0) }) { throw failure }
    }

    public func check(_ text: String) throws(JSONLimitError) {
        try check(Data(text.utf8))
    }

    /// The first limit the bytes exceed, or nil.
    private func scan(_ bytes: UnsafeRawBufferPointer) -> JSONLimitError? {
        var depth = 0
        var inString = false
        var escaped = false
        var stringStart = 0
        var numberLength = 0
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == Byte.backslash {
                    escaped = true
                } else if byte == Byte.quote {
                    inString = false
                    continue
                }
                if offset - stringStart >= maxStringBytes {
                    return .stringTooLong(limit: maxStringBytes, offset: stringStart)
                }
                continue
            }
            if Byte.isNumberPart(byte) {
                numberLength += 1
                if numberLength > maxNumberLength {
                    return .numberTooLong(limit: maxNumberLength, offset: offset + 1 - numberLength)
                }
                continue
            }
            numberLength = 0
            switch byte {
            case Byte.quote:
                inString = true
                stringStart = offset + 1
            case Byte.openBracket, Byte.openBrace:
                depth += 1
                if depth > maxDepth { return .tooDeep(limit: maxDepth, offset: offset) }
            case Byte.closeBracket, Byte.closeBrace:
                // Never below zero: stray closers must not buy room for more openers.
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return nil
    }

    private enum Byte {
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")
        static let openBracket = UInt8(ascii: "[")
        static let closeBracket = UInt8(ascii: "]")
        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")

        static func isNumberPart(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                true
            default:
                false
            }
        }
    }
}

/// Which bound untrusted JSON exceeded, and where.
public enum JSONLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooDeep(limit: Int, offset: Int)
    case stringTooLong(limit: Int, offset: Int)
    case numberTooLong(limit: Int, offset: Int)
    case documentTooLarge(bytes: Int, limit: Int)

    /// A stable code for problem bodies and counters.
    public var code: String {
        switch self {
        case .tooDeep: "too_deep"
        case .stringTooLong: "string_too_long"
        case .numberTooLong: "number_too_long"
        case .documentTooLarge: "document_too_large"
        }
    }

    public var description: String {
        switch self {
        case .tooDeep(let limit, let offset): "JSON nested deeper than \(limit) levels at byte \(offset)"
        case .stringTooLong(let limit, let offset): "JSON string longer than \(limit) bytes at byte \(offset)"
        case .numberTooLong(let limit, let offset): "JSON number longer than \(limit) characters at byte \(offset)"
        case .documentTooLarge(let bytes, let limit): "JSON document of \(bytes) bytes exceeds the \(limit)-byte limit"
        }
    }
}
