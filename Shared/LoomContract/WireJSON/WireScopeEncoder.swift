import Foundation

/// The `Encoder` one value's `encode(to:)` sees, and its single-value container.
final class WireScopeEncoder: Encoder, SingleValueEncodingContainer {
    // Unchecked for the reason given on `WireJSONEncoderState`.
    let state: WireJSONEncoderState
    @exclusivity(unchecked) private(set) var parent: WireScopeEncoder?
    @exclusivity(unchecked) private(set) var key: (any CodingKey)?
    /// The first frame this value may open, and where its bytes begin.
    @exclusivity(unchecked) private(set) var frameBase = 0
    @exclusivity(unchecked) private(set) var valueStart = 0
    @exclusivity(unchecked) var isActive = false
    /// Set for a `superEncoder()`: the slot frame its value is written into.
    @exclusivity(unchecked) private(set) var slotID = -1
    @exclusivity(unchecked) private var rootFrameID = -1
    @exclusivity(unchecked) private var rootIsKeyed = false

    init(state: WireJSONEncoderState) {
        self.state = state
    }

    func begin(parent: WireScopeEncoder?, key: (any CodingKey)?, frameBase: Int, valueStart: Int) {
        self.parent = parent
        self.key = key
        self.frameBase = frameBase
        self.valueStart = valueStart
        isActive = true
    }

    /// A super encoder writes into `slot`, a frame of the scope that is current when it is made.
    func beginSlot(_ slot: Int, parent: WireScopeEncoder, key: any CodingKey) {
        begin(parent: parent, key: key, frameBase: state.frames.count, valueStart: state.bytes.count)
        slotID = slot
    }

    func reset() {
        parent = nil
        key = nil
        slotID = -1
        rootFrameID = -1
        rootIsKeyed = false
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: WireScopeEncoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(WireKeyedEncoding<Key>(encoder: self, frameID: rootFrame(keyed: true), path: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        WireUnkeyedEncoding(encoder: self, frameID: rootFrame(keyed: false), path: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// The value's one top container, opened on first request and handed out again after, as
    /// Foundation merges repeated requests. -1 when the request cannot be honoured.
    private func rootFrame(keyed: Bool) -> Int {
        if rootFrameID >= 0 {
            if rootIsKeyed == keyed { return rootFrameID }
            refuse("Attempt to push a new container of another kind when one was already requested at this path.")
            return -1
        }
        guard isPositioned() else { return -1 }
        guard state.bytes.count == valueStart else {
            // A single value came first: Foundation turns an object or array into the container.
            let first = state.bytes.count > valueStart ? state.bytes[valueStart] : 0
            if first == (keyed ? WireJSONText.openBrace : WireJSONText.openBracket) {
                state.needsFoundation = true
            } else {
                refuse("Attempt to push a new container when a single value was already encoded at this path.")
            }
            return -1
        }
        rootFrameID = state.openFrame(keyed ? .keyed : .unkeyed, parentEntry: nil)
        rootIsKeyed = keyed
        return rootFrameID
    }

    /// Whether this value's position is the end of the buffer, so it can be written now.
    private func isPositioned() -> Bool {
        if slotID >= 0 {
            guard isActive, state.makeTop(slotID) != nil else {
                state.needsFoundation = true
                return false
            }
            return true
        }
        guard isActive, state.currentScope === self, state.frames.count == frameBase else {
            state.needsFoundation = true
            return false
        }
        return true
    }

    private func refuse(_ message: String) {
        if state.misuse == nil {
            state.misuse = EncodingError.invalidValue(
                Optional<Int>.none as Any, .init(codingPath: codingPath, debugDescription: message))
        }
    }

    /// Ready to take a single value: nothing written yet and the buffer's end is this value's.
    private func beginSingle() -> Bool {
        guard rootFrameID < 0, isPositioned() else {
            if rootFrameID >= 0 { state.needsFoundation = true }
            return false
        }
        guard state.bytes.count == valueStart else {
            refuse("Attempt to encode value through single value container when previously value already encoded.")
            return false
        }
        return true
    }

    func encodeNil() throws {
        if beginSingle() { state.bytes.append(contentsOf: WireJSONText.null) }
    }

    func encode(_ value: Bool) throws {
        if beginSingle() { state.bytes.append(contentsOf: value ? WireJSONText.true : WireJSONText.false) }
    }

    func encode(_ value: String) throws {
        if beginSingle() { WireJSONText.appendString(value, to: &state.bytes) }
    }

    func encode(_ value: Double) throws {
        guard value.isFinite else { throw WireJSONText.nonConforming(value, path: codingPath) }
        if beginSingle() { WireJSONText.appendDouble(value, to: &state.bytes) }
    }

    func encode(_ value: Float) throws {
        guard value.isFinite else { throw WireJSONText.nonConforming(value, path: codingPath) }
        if beginSingle() { WireJSONText.appendFloat(value, to: &state.bytes) }
    }

    func encode(_ value: Int) throws { try encodeInteger(value) }
    func encode(_ value: Int8) throws { try encodeInteger(value) }
    func encode(_ value: Int16) throws { try encodeInteger(value) }
    func encode(_ value: Int32) throws { try encodeInteger(value) }
    func encode(_ value: Int64) throws { try encodeInteger(value) }
    func encode(_ value: Int128) throws { try encodeInteger(value) }
    func encode(_ value: UInt) throws { try encodeInteger(value) }
    func encode(_ value: UInt8) throws { try encodeInteger(value) }
    func encode(_ value: UInt16) throws { try encodeInteger(value) }
    func encode(_ value: UInt32) throws { try encodeInteger(value) }
    func encode(_ value: UInt64) throws { try encodeInteger(value) }
    func encode(_ value: UInt128) throws { try encodeInteger(value) }

    private func encodeInteger<T: FixedWidthInteger>(_ value: T) throws {
        if beginSingle() { WireJSONText.appendInteger(value, to: &state.bytes) }
    }

    func encode<T: Encodable>(_ value: T) throws {
        guard beginSingle() else { return }
        let mark = state.markHere()
        do {
            try state.encodeValue(value, parent: self, key: nil)
        } catch {
            state.rollBack(mark)
            throw error
        }
    }
}
