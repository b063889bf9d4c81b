import Foundation

/// Reads any Decodable from JSON the way the wire's Foundation `JSONDecoder` does (dates by
/// `WireDate.parse`, data as base64): it accepts the same documents, gives the same values and
/// throws the same `DecodingError`s with the same coding paths, from a map built in one pass.
public struct WireJSONDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let document = try WireJSONDocument(data: data)
        let decoder = WireDecoderImpl(document: document, node: 0, path: .root)
        do {
            return try decoder.unwrap(0, as: type, path: .root, key: nil)
        } catch is WireJSONError {
            // Foundation reports bad text inside a value as the whole document not being JSON.
            throw WireJSONDocument.notJSON
        }
    }
}

/// The coding path as a linked list, extended only when a decode goes a level down.
indirect enum WirePathNode {
    case root
    case key(any CodingKey, WirePathNode)
    case index(Int, WirePathNode)

    var path: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root: return keys.reversed()
            case .key(let key, let parent):
                keys.append(key)
                node = parent
            case .index(let index, let parent):
                keys.append(WireJSONKey(index: index))
                node = parent
            }
        }
    }

    func appending(_ key: (any CodingKey)?) -> WirePathNode {
        guard let key else { return self }
        return .key(key, self)
    }

    func path(byAppending key: (any CodingKey)?) -> [any CodingKey] {
        guard let key else { return path }
        return path + [key]
    }
}

/// The `Decoder` a value's `init(from:)` sees, reused down the tree as Foundation's is: a
/// nested decode points it at the child node and back.
final class WireDecoderImpl: Decoder, SingleValueDecodingContainer {
    let document: WireJSONDocument
    // One decode on one thread, and no access overlaps another: the per-access exclusivity
    // check would cost more than the reads it guards.
    @exclusivity(unchecked) var node: Int
    @exclusivity(unchecked) var pathNode: WirePathNode

    init(document: WireJSONDocument, node: Int, path: WirePathNode) {
        self.document = document
        self.node = node
        self.pathNode = path
    }

    var codingPath: [any CodingKey] { pathNode.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch document.tag(node) {
        case .object:
            return KeyedDecodingContainer(try WireKeyedDecoding<Key>(impl: self, object: node, path: pathNode))
        case .null:
            throw DecodingError.valueNotFound([String: Any].self, .init(
                codingPath: codingPath,
                debugDescription: "Cannot get keyed decoding container -- found null value instead"))
        default:
            throw WireDecoderImpl.mismatch([String: Any].self, codingPath, found: describe(node))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch document.tag(node) {
        case .array:
            return WireUnkeyedDecoding(impl: self, array: node, path: pathNode)
        case .null:
            throw DecodingError.valueNotFound([Any].self, .init(
                codingPath: codingPath,
                debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
        default:
            throw WireDecoderImpl.mismatch([Any].self, codingPath, found: describe(node))
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Runs a nested `init(from:)` against this decoder pointed at `child`.
    func with<T>(_ child: Int, path: WirePathNode, _ body: () throws -> T) rethrows -> T {
        let savedNode = node
        let savedPath = pathNode
        node = child
        pathNode = path
        defer {
            node = savedNode
            pathNode = savedPath
        }
        return try body()
    }

    /// Decodes node `child` as `T`, at `path` plus `key`. The types Foundation special-cases
    /// come first; the common scalars are read directly, which gives what their `init(from:)`
    /// would (same value, same errors) without the detour.
    func unwrap<T: Decodable>(_ child: Int, as type: T.Type, path: WirePathNode, key: (any CodingKey)?) throws -> T {
        if T.self == String.self { return try cast(string(child, path, key)) }
        if T.self == Int.self { return try cast(integer(child, Int.self, path, key)) }
        if T.self == Date.self { return try cast(date(child, path, key)) }
        if T.self == Double.self { return try cast(floatingPoint(child, Double.self, path, key)) }
        if T.self == Bool.self { return try cast(bool(child, path, key)) }
        if T.self == JSONValue.self { return try cast(jsonValue(child, path.appending(key))) }
        if T.self == Data.self { return try cast(data(child, path, key)) }
        if T.self == URL.self { return try cast(url(child, path, key)) }
        if T.self == Decimal.self { return try cast(decimal(child, path, key)) }
        return try with(child, path: path.appending(key)) { try T(from: self) }
    }

    private func cast<T>(_ value: Any) throws -> T {
        guard let typed = value as? T else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "internal"))
        }
        return typed
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { document.tag(node) == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(node, pathNode, nil) }
    func decode(_ type: String.Type) throws -> String { try string(node, pathNode, nil) }
    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(node, Double.self, pathNode, nil) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(node, Float.self, pathNode, nil) }
    func decode(_ type: Int.Type) throws -> Int { try integer(node, type, pathNode, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(node, type, pathNode, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(node, type, pathNode, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(node, type, pathNode, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(node, type, pathNode, nil) }
    func decode(_ type: Int128.Type) throws -> Int128 { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(node, type, pathNode, nil) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try integer(node, type, pathNode, nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unwrap(node, as: type, path: pathNode, key: nil) }
}
