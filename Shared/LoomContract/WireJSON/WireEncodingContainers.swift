import Foundation

/// A keyed container: each entry is written where the buffer ends and ordered when it closes.
struct WireKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: WireScopeEncoder
    private let state: WireJSONEncoderState
    let frameID: Int
    /// Keys of nested containers below the encoder's own path.
    let path: [any CodingKey]

    init(encoder: WireScopeEncoder, frameID: Int, path: [any CodingKey]) {
        self.encoder = encoder
        state = encoder.state
        self.frameID = frameID
        self.path = path
    }

    var codingPath: [any CodingKey] { encoder.codingPath + path }

    private func write(_ key: Key, _ body: (inout [UInt8]) -> Void) {
        guard let mark = state.beginEntry(in: frameID, key: key.stringValue) else { return }
        body(&state.bytes)
        state.endEntry(mark)
    }

    mutating func encodeNil(forKey key: Key) throws { write(key) { $0.append(contentsOf: WireJSONText.null) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        write(key) { $0.append(contentsOf: value ? WireJSONText.true : WireJSONText.false) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        write(key) { WireJSONText.appendString(value, to: &$0) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        // Foundation's path for this error is the encoder's plus the key, without nested keys.
        guard value.isFinite else { throw WireJSONText.nonConforming(value, path: encoder.codingPath + [key]) }
        write(key) { WireJSONText.appendDouble(value, to: &$0) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        guard value.isFinite else { throw WireJSONText.nonConforming(value, path: encoder.codingPath + [key]) }
        write(key) { WireJSONText.appendFloat(value, to: &$0) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { writeInteger(value, key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { writeInteger(value, key) }

    private func writeInteger<T: FixedWidthInteger>(_ value: T, _ key: Key) {
        write(key) { WireJSONText.appendInteger(value, to: &$0) }
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard let mark = state.beginEntry(in: frameID, key: key.stringValue) else { return }
        do {
            try state.encodeValue(value, parent: encoder, key: key)
        } catch {
            state.rollBack(mark)
            throw error
        }
        state.endEntry(mark)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let id = state.beginEntry(in: frameID, key: key.stringValue).map {
            state.openFrame(.keyed, parentEntry: $0.entry)
        }
        let nested = WireKeyedEncoding<NestedKey>(encoder: encoder, frameID: id ?? -1, path: path + [key])
        return KeyedEncodingContainer(nested)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let id = state.beginEntry(in: frameID, key: key.stringValue).map {
            state.openFrame(.unkeyed, parentEntry: $0.entry)
        }
        return WireUnkeyedEncoding(encoder: encoder, frameID: id ?? -1, path: path + [key])
    }

    mutating func superEncoder() -> any Encoder { makeSuperEncoder(WireJSONKey.super) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { makeSuperEncoder(key) }

    private func makeSuperEncoder(_ key: any CodingKey) -> any Encoder {
        let slot = state.beginEntry(in: frameID, key: key.stringValue).map {
            state.openFrame(.slot, parentEntry: $0.entry)
        }
        let superEncoder = WireScopeEncoder(state: state)
        superEncoder.beginSlot(slot ?? -1, parent: encoder, key: key)
        return superEncoder
    }
}

/// An unkeyed container: elements are written in order where the buffer ends.
struct WireUnkeyedEncoding: UnkeyedEncodingContainer {
    let encoder: WireScopeEncoder
    private let state: WireJSONEncoderState
    let frameID: Int
    let path: [any CodingKey]

    init(encoder: WireScopeEncoder, frameID: Int, path: [any CodingKey]) {
        self.encoder = encoder
        state = encoder.state
        self.frameID = frameID
        self.path = path
    }

    var codingPath: [any CodingKey] { encoder.codingPath + path }

    var count: Int {
        state.frames.last(where: { $0.id == frameID })?.count ?? 0
    }

    private func write(_ body: (inout [UInt8]) -> Void) {
        guard state.beginElement(in: frameID) != nil else { return }
        body(&state.bytes)
    }

    mutating func encodeNil() throws { write { $0.append(contentsOf: WireJSONText.null) } }
    mutating func encode(_ value: Bool) throws {
        write { $0.append(contentsOf: value ? WireJSONText.true : WireJSONText.false) }
    }
    mutating func encode(_ value: String) throws { write { WireJSONText.appendString(value, to: &$0) } }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw WireJSONText.nonConforming(value, path: encoder.codingPath + [WireJSONKey(index: count)])
        }
        write { WireJSONText.appendDouble(value, to: &$0) }
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else {
            throw WireJSONText.nonConforming(value, path: encoder.codingPath + [WireJSONKey(index: count)])
        }
        write { WireJSONText.appendFloat(value, to: &$0) }
    }
    mutating func encode(_ value: Int) throws { writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writeInteger(value) }
    mutating func encode(_ value: Int128) throws { writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writeInteger(value) }
    mutating func encode(_ value: UInt128) throws { writeInteger(value) }

    private func writeInteger<T: FixedWidthInteger>(_ value: T) {
        write { WireJSONText.appendInteger(value, to: &$0) }
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        guard let mark = state.beginElement(in: frameID) else { return }
        do {
            try state.encodeValue(value, parent: encoder, key: WireJSONKey(index: index))
        } catch {
            state.rollBack(mark)
            throw error
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let index = count
        let id = state.beginElement(in: frameID).map { _ in state.openFrame(.keyed, parentEntry: nil) }
        let key = WireJSONKey(index: index)
        let nested = WireKeyedEncoding<NestedKey>(encoder: encoder, frameID: id ?? -1, path: path + [key])
        return KeyedEncodingContainer(nested)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let index = count
        let id = state.beginElement(in: frameID).map { _ in state.openFrame(.unkeyed, parentEntry: nil) }
        return WireUnkeyedEncoding(encoder: encoder, frameID: id ?? -1, path: path + [WireJSONKey(index: index)])
    }

    mutating func superEncoder() -> any Encoder {
        let index = count
        let slot = state.beginElement(in: frameID).map { _ in state.openFrame(.slot, parentEntry: nil) }
        let superEncoder = WireScopeEncoder(state: state)
        superEncoder.beginSlot(slot ?? -1, parent: encoder, key: WireJSONKey(index: index))
        return superEncoder
    }
}

/// The keys Foundation's coders and the standard library's Dictionary coding make up: array
/// indices, `super`, and a dictionary's keys.
struct WireJSONKey: CodingKey, CustomStringConvertible {
    static let `super` = WireJSONKey(stringValue: "super")

    let stringValue: String
    let intValue: Int?
    private var isDictionaryKey = false

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    /// The key the standard library's Dictionary coding uses: a key that reads as an Int has it.
    init(dictionaryKey: String) {
        stringValue = dictionaryKey
        intValue = Int(dictionaryKey)
        isDictionaryKey = true
    }

    /// The text `CodingKey` gives the keys it stands in for (`_CodingKey`, `_DictionaryCodingKey`),
    /// so whatever prints the keys of an error's path (a dump of its context) reads as with Foundation.
    var description: String {
        let name = isDictionaryKey ? "_DictionaryCodingKey" : "_CodingKey"
        return "\(name)(stringValue: \"\(stringValue)\", intValue: \(intValue.map(String.init) ?? "nil"))"
    }
}
