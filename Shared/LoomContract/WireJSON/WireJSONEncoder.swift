import Foundation
import Synchronization

/// Writes any Encodable as JSON bytes identical to the wire's Foundation configuration
/// (`JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` and dates as `WireDate`), without
/// the tree of boxed values and dictionaries Foundation builds first.
///
/// Values stream into one byte buffer. A keyed container records where each of its entries
/// lies and, when it closes, puts them in the order `.sortedKeys` gives (UTF-8 bytes compared
/// lexicographically, as swift-foundation does outside Apple platforms). The few uses of
/// `Encoder` a stream cannot reproduce (writing again into a container after a sibling was
/// closed, the same key twice, a value written into a parent while a child encodes) are
/// detected and that whole value is encoded by Foundation instead, so the bytes never differ.
public struct WireJSONEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let state = WireJSONEncoderState.take()
        defer { WireJSONEncoderState.giveBack(state) }
        try state.encodeTopLevel(value)
        if state.needsFoundation { return try WireCodec.foundationEncoder.encode(value) }
        if let misuse = state.misuse { throw misuse }
        if state.depthExceeded {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Unable to encode the given top-level value to JSON."))
        }
        return Data(state.bytes)
    }
}

/// The buffer and the stack of open containers for one top-level encode.
///
/// Every byte written goes through these properties. One state serves one encode on one
/// thread, and no access to one of them overlaps another (none is held across a call that
/// could reach it again), so the runtime's exclusivity check on each access, a quarter of the
/// encoder's time in profiles, is left out.
final class WireJSONEncoderState: @unchecked Sendable {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var frames: [WireEncodingFrame] = []
    /// The entries of every open keyed container, each container's as one run at the top.
    @exclusivity(unchecked) var entries: [WireKeyedEntry] = []
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// Keys that needed escaping, which entries refer to by index.
    @exclusivity(unchecked) var escapedKeys: [String] = []
    @exclusivity(unchecked) var nextFrameID = 0
    /// JSON arrays and objects open at once; Foundation's writer refuses a 512th level.
    @exclusivity(unchecked) var containerDepth = 0
    @exclusivity(unchecked) var depthExceeded = false
    /// Set when the stream cannot reproduce what Foundation would write; Foundation then encodes.
    var needsFoundation = false
    /// A use Foundation stops the process for (a second value in one single-value container).
    var misuse: EncodingError?
    /// The innermost value being encoded, and the first frame it owns: frames below belong to
    /// values still encoding around it and must not be closed from here.
    @exclusivity(unchecked) var currentScope: WireScopeEncoder?
    @exclusivity(unchecked) var scopeFrameBase = 0
    /// Encoders of finished values, reused for the next ones: a value nested n deep needs n.
    @exclusivity(unchecked) private var spareEncoders: [WireScopeEncoder] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    /// States between encodes, with the capacity their buffer and stacks grew to: building
    /// them anew was most of a small envelope's encoding time. A state is only ever used by the
    /// one encode that took it (hence `@unchecked Sendable`).
    private static let pool = Mutex<[WireJSONEncoderState]>([])
    private static let pooledStates = 8
    private static let pooledBufferBytes = 1 << 20

    static func take() -> WireJSONEncoderState {
        guard let state = pool.withLock({ $0.popLast() }) else { return WireJSONEncoderState() }
        // Reset here as well: a container kept past its own encode may have flagged it since.
        state.reset()
        return state
    }

    static func giveBack(_ state: WireJSONEncoderState) {
        state.reset()
        let kept = state.bytes.capacity <= pooledBufferBytes && pool.withLock { states in
            guard states.count < pooledStates else { return false }
            states.append(state)
            return true
        }
        // Spare encoders point back at their state; a state let go must let them go too.
        if !kept { state.spareEncoders.removeAll() }
    }

    /// Empty again, capacity kept. Frame ids go on counting, so a container that outlived its
    /// encode never matches a frame of the next one.
    private func reset() {
        bytes.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        escapedKeys.removeAll()
        containerDepth = 0
        depthExceeded = false
        needsFoundation = false
        misuse = nil
        currentScope = nil
        scopeFrameBase = 0
    }

    func encodeTopLevel<T: Encodable>(_ value: T) throws {
        try encodeValue(value, parent: nil, key: nil)
        if bytes.isEmpty {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
    }

    /// Writes one value at the current position. The types Foundation's encoder special-cases
    /// are checked by metatype, which is exact here: an Encodable `T` is never an existential.
    func encodeValue<T: Encodable>(_ value: T, parent: WireScopeEncoder?, key: (any CodingKey)?) throws {
        if T.self == String.self, let text = value as? String {
            WireJSONText.appendString(text, to: &bytes)
        } else if T.self == Date.self, let date = value as? Date {
            WireDate.append(date, to: &bytes)
        } else if T.self == JSONValue.self, let json = value as? JSONValue {
            try encodeJSONValue(json, parent: parent, key: key)
        } else if T.self == [String].self, let texts = value as? [String] {
            appendArray(texts) { WireJSONText.appendString($0, to: &$1) }
        } else if T.self == Data.self, let data = value as? Data {
            WireJSONText.appendString(data.base64EncodedString(), to: &bytes)
        } else if T.self == URL.self, let url = value as? URL {
            WireJSONText.appendString(url.absoluteString, to: &bytes)
        } else if T.self == Decimal.self, let decimal = value as? Decimal {
            bytes.append(contentsOf: decimal.description.utf8)
        } else if T.self == [Int].self, let numbers = value as? [Int] {
            appendArray(numbers) { WireJSONText.appendInteger($0, to: &$1) }
        } else if T.self == [Double].self, let numbers = value as? [Double] {
            try appendDoubles(numbers, parent: parent, key: key)
        } else {
            try encodeWithScope(parent: parent, key: key) { try value.encode(to: $0) }
        }
    }

    /// Runs an `encode(to:)` against a fresh scope; a value that wrote nothing is `{}`, as in Foundation.
    func encodeWithScope(
        parent: WireScopeEncoder?, key: (any CodingKey)?, _ body: (WireScopeEncoder) throws -> Void
    ) throws {
        var encoder = takeEncoder(parent: parent, key: key)
        let savedScope = currentScope
        let savedBase = scopeFrameBase
        currentScope = encoder
        scopeFrameBase = frames.count
        defer {
            currentScope = savedScope
            scopeFrameBase = savedBase
            recycle(&encoder)
        }
        try body(encoder)
        while frames.count > encoder.frameBase { closeTopFrame() }
        if parent != nil, bytes.count == encoder.valueStart { bytes.append(contentsOf: WireJSONText.emptyObject) }
    }

    /// Arrays of these types are written directly, without a scope per element; the bytes, and
    /// the nesting limit, are those of the unkeyed container Foundation writes them through.
    private func appendArray<Element>(_ elements: [Element], _ write: (Element, inout [UInt8]) -> Void) {
        if containerDepth + 1 >= 512 { depthExceeded = true }
        bytes.append(WireJSONText.openBracket)
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(WireJSONText.comma) }
            write(element, &bytes)
        }
        bytes.append(WireJSONText.closeBracket)
    }

    /// With a NaN or infinity inside, the Codable path throws Foundation's error and its path.
    private func appendDoubles(_ numbers: [Double], parent: WireScopeEncoder?, key: (any CodingKey)?) throws {
        guard numbers.allSatisfy(\.isFinite) else {
            try encodeWithScope(parent: parent, key: key) { try numbers.encode(to: $0) }
            return
        }
        appendArray(numbers) { WireJSONText.appendDouble($0, to: &$1) }
    }

    /// A spare encoder when one is free (Foundation's keeps one spare sub-encoder; this keeps one
    /// per level), a new one otherwise.
    private func takeEncoder(parent: WireScopeEncoder?, key: (any CodingKey)?) -> WireScopeEncoder {
        let encoder = spareEncoders.popLast() ?? WireScopeEncoder(state: self)
        encoder.begin(parent: parent, key: key, frameBase: frames.count, valueStart: bytes.count)
        return encoder
    }

    /// Kept for the next value only when no container or caller still holds it.
    private func recycle(_ encoder: inout WireScopeEncoder) {
        encoder.isActive = false
        if isKnownUniquelyReferenced(&encoder) {
            encoder.reset()
            spareEncoders.append(encoder)
        }
    }
}
