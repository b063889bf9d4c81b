import Foundation

/// An array's elements in order. Index bookkeeping follows Foundation's container: a failed
/// decode does not advance, and `decodeIfPresent` past the end returns nil and advances.
struct WireUnkeyedDecoding: UnkeyedDecodingContainer {
    let impl: WireDecoderImpl
    let path: WirePathNode
    let count: Int?
    private(set) var currentIndex = 0
    private var nextNode: Int
    private let elementCount: Int

    init(impl: WireDecoderImpl, array: Int, path: WirePathNode) {
        self.impl = impl
        self.path = path
        elementCount = impl.document.payload(array)
        count = elementCount
        nextNode = impl.document.firstChild(array)
    }

    private var document: WireJSONDocument { impl.document }
    var codingPath: [any CodingKey] { path.path }
    var isAtEnd: Bool { currentIndex >= elementCount }
    private var indexKey: WireJSONKey { WireJSONKey(index: currentIndex) }

    private func next<T>(_ type: T.Type, atEnd message: String = "Unkeyed container is at end.") throws -> Int {
        guard currentIndex < elementCount else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [indexKey], debugDescription: message))
        }
        return nextNode
    }

    private func nextIfPresent() -> Int? {
        currentIndex < elementCount ? nextNode : nil
    }

    private mutating func advance() {
        if currentIndex < elementCount { nextNode = document.next(nextNode) }
        currentIndex += 1
    }

    private mutating func decoded<T>(_ type: T.Type, _ read: (Int, WireJSONKey) throws -> T) throws -> T {
        let value = try read(try next(type), indexKey)
        advance()
        return value
    }

    private mutating func decodedIfPresent<T>(_ read: (Int, WireJSONKey) throws -> T) throws -> T? {
        let value: T?
        if let node = nextIfPresent(), document.tag(node) != .null {
            value = try read(node, indexKey)
        } else {
            value = nil
        }
        advance()
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard document.tag(try next(Never.self)) == .null else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        try decoded(type) { [impl, path] in try impl.bool($0, path, $1) }
    }
    mutating func decode(_ type: String.Type) throws -> String {
        try decoded(type) { [impl, path] in try impl.string($0, path, $1) }
    }
    mutating func decode(_ type: Double.Type) throws -> Double { try floating(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try floating(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try integer(type) }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try decoded(type) { [impl, path] in try impl.integer($0, type, path, $1) }
    }

    private mutating func floating<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) throws -> T {
        try decoded(type) { [impl, path] in try impl.floatingPoint($0, type, path, $1) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoded(type) { [impl, path] in try impl.unwrap($0, as: type, path: path, key: $1) }
    }

    mutating func decodeIfPresent(_ type: String.Type) throws -> String? {
        try decodedIfPresent { [impl, path] in try impl.string($0, path, $1) }
    }

    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        try decodedIfPresent { [impl, path] in try impl.unwrap($0, as: type, path: path, key: $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let node = try next(KeyedDecodingContainer<NestedKey>.self)
        let container = try impl.with(node, path: .index(currentIndex, path)) { try impl.container(keyedBy: type) }
        advance()
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let node = try next((any UnkeyedDecodingContainer).self)
        let container = try impl.with(node, path: .index(currentIndex, path)) { try impl.unkeyedContainer() }
        advance()
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let node = try next((any Decoder).self, atEnd: "Cannot get superDecoder() -- unkeyed container is at end.")
        let decoder = WireDecoderImpl(document: document, node: node, path: .index(currentIndex, path))
        advance()
        return decoder
    }
}
