import Foundation

/// Scalars, each with the checks and errors of Foundation's `unwrap…` for its type.
extension WireDecoderImpl {
    static func mismatch(_ type: Any.Type, _ path: [any CodingKey], found: String) -> DecodingError {
        .typeMismatch(type, .init(
            codingPath: path, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    /// Foundation's `debugDataTypeDescription`.
    func describe(_ node: Int) -> String {
        switch document.tag(node) {
        case .string: "a string"
        case .number: "number"
        case .true, .false: "bool"
        case .null: "null"
        case .object: "a dictionary"
        case .array: "an array"
        }
    }

    private func requireNotNull<T>(_ node: Int, _ type: T.Type, _ path: WirePathNode, _ key: (any CodingKey)?) throws {
        guard document.tag(node) == .null else { return }
        throw DecodingError.valueNotFound(type, .init(
            codingPath: path.path(byAppending: key),
            debugDescription: "Cannot get value of type \(type) -- found null value instead"))
    }

    /// Foundation's Bool check has no null case of its own: null is a type mismatch.
    func bool(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> Bool {
        switch document.tag(node) {
        case .true: return true
        case .false: return false
        default: throw Self.mismatch(Bool.self, path.path(byAppending: key), found: describe(node))
        }
    }

    func string(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> String {
        try requireNotNull(node, String.self, path, key)
        guard document.tag(node) == .string else {
            throw Self.mismatch(String.self, path.path(byAppending: key), found: describe(node))
        }
        return try document.string(node)
    }

    func integer<T: FixedWidthInteger>(
        _ node: Int, _ type: T.Type, _ path: WirePathNode, _ key: (any CodingKey)?
    ) throws -> T {
        try requireNotNull(node, type, path, key)
        guard document.tag(node) == .number else {
            throw Self.mismatch(type, path.path(byAppending: key), found: describe(node))
        }
        return try document.integer(node, as: type)
    }

    func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ node: Int, _ type: T.Type, _ path: WirePathNode, _ key: (any CodingKey)?
    ) throws -> T {
        try requireNotNull(node, type, path, key)
        guard document.tag(node) == .number else {
            throw Self.mismatch(type, path.path(byAppending: key), found: describe(node))
        }
        return try document.floatingPoint(node, as: type)
    }

    /// The wire's date strategy (`WireCodec.makeDecoder`): a string that `WireDate.parse` reads.
    func date(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> Date {
        try requireNotNull(node, Date.self, path, key)
        guard document.tag(node) == .string else {
            throw Self.mismatch(String.self, path.path(byAppending: key), found: describe(node))
        }
        let plain = WireJSONDocument.stringIsSimple | WireJSONDocument.stringIsASCII
        if document.flags(node) & plain == plain {
            let start = document.offset(node)
            let end = start + document.payload(node)
            let canonical = document.bytes.withUnsafeBufferPointer {
                WireDate.parseCanonical(utf8: UnsafeBufferPointer(rebasing: $0[start..<end]))
            }
            if let canonical { return canonical }
        }
        let text = try document.string(node)
        if let date = WireDate.parse(text) { return date }
        throw DecodingError.dataCorrupted(.init(
            codingPath: path.path(byAppending: key), debugDescription: "not an ISO 8601 date: '\(text)'"))
    }

    func data(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> Data {
        try requireNotNull(node, Data.self, path, key)
        guard document.tag(node) == .string else {
            throw Self.mismatch(String.self, path.path(byAppending: key), found: describe(node))
        }
        guard let data = Data(base64Encoded: try document.string(node)) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: path.path(byAppending: key), debugDescription: "Encountered Data is not valid Base64."))
        }
        return data
    }

    func url(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> URL {
        try requireNotNull(node, URL.self, path, key)
        guard let url = URL(string: try string(node, path, key)) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: path.path(byAppending: key), debugDescription: "Invalid URL string."))
        }
        return url
    }

    func decimal(_ node: Int, _ path: WirePathNode, _ key: (any CodingKey)?) throws -> Decimal {
        try requireNotNull(node, Decimal.self, path, key)
        guard document.tag(node) == .number else {
            throw DecodingError.typeMismatch(
                Decimal.self, .init(codingPath: path.path(byAppending: key), debugDescription: ""))
        }
        return try document.decimal(node)
    }
}
