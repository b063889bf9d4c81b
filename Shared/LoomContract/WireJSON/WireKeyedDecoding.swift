import Foundation

/// An object's entries, looked up the way Foundation's dictionary of keys finds them: the
/// first entry with a key wins, and keys compare as Strings (escapes decoded, canonically
/// equivalent spellings equal). When every key is plain ASCII that is a byte comparison, made
/// by walking the few entries of a small object; a large one gets an index on first use, so a
/// dictionary of many keys decodes in linear time.
struct WireKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let impl: WireDecoderImpl
    let object: Int
    let path: WirePathNode

    private var document: WireJSONDocument { impl.document }
    var codingPath: [any CodingKey] { path.path }

    init(impl: WireDecoderImpl, object: Int, path: WirePathNode) throws {
        self.impl = impl
        self.object = object
        self.path = path
        // Foundation reads every key when the container is made: a key with bad text fails here.
        if impl.document.flags(object) & WireJSONDocument.objectKeysArePlain == 0 {
            for entry in entryNodes() { _ = try impl.document.string(entry) }
        }
    }

    /// The key nodes in document order; each value is the node after its key's two slots.
    private func entryNodes() -> [Int] {
        var nodes: [Int] = []
        var entry = document.firstChild(object)
        let end = document.next(object)
        while entry < end {
            nodes.append(entry)
            entry = document.next(entry + 2)
        }
        return nodes
    }

    var allKeys: [Key] {
        var seen = Set<String>()
        return entryNodes().compactMap { entry in
            guard let name = try? document.string(entry), seen.insert(name).inserted else { return nil }
            return Key(stringValue: name)
        }
    }

    func contains(_ key: Key) -> Bool { valueNode(for: key) != nil }

    private func valueNode(for key: some CodingKey) -> Int? {
        let name = key.stringValue
        if document.payload(object) > WireJSONDocument.indexedObjectSize {
            return document.keyIndex(of: object)[name].map { $0 + 2 }
        }
        let document = document
        let object = object
        var utf8 = name
        return utf8.withUTF8 { wanted -> Int? in
            if document.flags(object) & WireJSONDocument.objectKeysArePlain != 0, wanted.allSatisfy({ $0 < 0x80 }) {
                return document.plainEntryValue(in: object, key: wanted)
            }
            var entry = document.firstChild(object)
            let end = document.next(object)
            while entry < end {
                if (try? document.string(entry)) == name { return entry + 2 }
                entry = document.next(entry + 2)
            }
            return nil
        }
    }

    private func value(for key: Key) throws -> Int {
        guard let node = valueNode(for: key) else {
            throw DecodingError.keyNotFound(key, .init(
                codingPath: codingPath,
                debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { document.tag(try value(for: key)) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try impl.bool(try value(for: key), path, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try impl.string(try value(for: key), path, key)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try floating(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try floating(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try integer(type, key) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        try impl.integer(try value(for: key), type, path, key)
    }

    private func floating<T: BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type, _ key: Key) throws -> T {
        try impl.floatingPoint(try value(for: key), type, path, key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try impl.unwrap(try value(for: key), as: type, path: path, key: key)
    }

    /// Absent and null are both nil, without the two extra lookups of the default.
    private func present(_ key: Key) -> Int? {
        guard let node = valueNode(for: key), document.tag(node) != .null else { return nil }
        return node
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try impl.string($0, path, key) }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try impl.bool($0, path, key) }
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try impl.integer($0, type, path, key) }
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { try impl.floatingPoint($0, type, path, key) }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try impl.unwrap($0, as: type, path: path, key: key) }
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let node = try value(for: key)
        return try impl.with(node, path: path.appending(key)) { try impl.container(keyedBy: type) }
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let node = try value(for: key)
        return try impl.with(node, path: path.appending(key)) { try impl.unkeyedContainer() }
    }

    func superDecoder() throws -> any Decoder { superDecoder(WireJSONKey.super) }
    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(key) }

    /// A decoder of its own for the entry; a missing key reads as null, as in Foundation.
    private func superDecoder(_ key: some CodingKey) -> any Decoder {
        WireDecoderImpl(document: document, node: valueNode(for: key) ?? document.nullNode, path: path.appending(key))
    }
}
