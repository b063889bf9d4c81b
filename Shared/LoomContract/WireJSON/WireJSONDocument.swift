import Foundation

/// A JSON text and a map of where its values are, built in one pass without recursion.
///
/// The map follows swift-foundation's `JSONMap`: every value is a node of a few `Int`s, and a
/// string or number is only its byte range until something decodes it. The scan checks what
/// Foundation's `JSONScanner` checks and no more — structure, literals, the shape of escapes —
/// so it accepts and refuses the same documents; a string's escapes and UTF-8, and a number's
/// form, are checked when they are decoded, as there.
final class WireJSONDocument {
    enum Tag: Int {
        case null, `true`, `false`, string, number, array, object
    }

    /// Node layout: two slots. Slot 0 is `tag | flags << 4 | payload << 8` (payload: a text's
    /// length, a container's count of values or entries); slot 1 is the byte offset of a
    /// string's or number's text, or the index of the node after a container.
    static let stringIsSimple = 1  // no escapes and no control characters
    static let stringIsASCII = 2
    static let numberHasExponent = 1
    static let objectKeysArePlain = 1  // every key simple and ASCII: keys compare as bytes

    /// Objects with more entries than this are looked up through a dictionary of their keys.
    static let indexedObjectSize = 16

    /// Constants once scanned: reads of a class's `let` need no exclusivity check.
    let bytes: [UInt8]
    let tape: [Int]
    /// A null node after the document's own, for a super decoder of a missing key.
    let nullNode: Int
    private var keyIndexes: [Int: [String: Int]] = [:]

    /// Parses the document or throws Foundation's error for text that is not JSON.
    init(data: Data) throws(DecodingError) {
        guard let utf8 = WireJSONInput.utf8(data) else { throw Self.notJSON }
        bytes = utf8
        let scanned = utf8.withUnsafeBufferPointer { buffer -> [Int]? in
            var scanner = WireJSONScanner(bytes: buffer)
            return scanner.scanDocument() ? scanner.tape : nil
        }
        guard var scanned else { throw Self.notJSON }
        nullNode = scanned.count
        scanned.append(contentsOf: [Tag.null.rawValue, 0])
        tape = scanned
    }

    static var notJSON: DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON."))
    }

    func tag(_ node: Int) -> Tag { Tag(rawValue: tape[node] & 0xF) ?? .null }
    func flags(_ node: Int) -> Int { (tape[node] >> 4) & 0xF }
    func payload(_ node: Int) -> Int { tape[node] >> 8 }
    func offset(_ node: Int) -> Int { tape[node + 1] }

    /// The node after `node` and everything inside it.
    func next(_ node: Int) -> Int {
        switch tag(node) {
        case .array, .object: tape[node + 1]
        default: node + 2
        }
    }

    /// The first element of an array or the first key of an object.
    func firstChild(_ node: Int) -> Int { node + 2 }

    /// An object's keys and the node of each one's first entry, built once.
    func keyIndex(of object: Int) -> [String: Int] {
        if let index = keyIndexes[object] { return index }
        var index: [String: Int] = [:]
        var entry = firstChild(object)
        while entry < next(object) {
            if let name = try? string(entry), index[name] == nil { index[name] = entry }
            entry = next(entry + 2)
        }
        keyIndexes[object] = index
        return index
    }
}

/// The bytes Foundation's decoder reads: UTF-8 as given less a byte order mark; UTF-16 and
/// UTF-32 (detected the way RFC 4627 and Foundation do) converted to UTF-8.
enum WireJSONInput {
    static func utf8(_ data: Data) -> [UInt8]? {
        let byte = { (index: Int) -> UInt8? in index < data.count ? data[data.startIndex + index] : nil }
        let encoding: String.Encoding
        let bomLength: Int
        switch (byte(0), byte(1), byte(2), byte(3)) {
        case (0, 0, 0xFE, 0xFF): (encoding, bomLength) = (.utf32BigEndian, 4)
        case (0xFE, 0xFF, 0, 0): (encoding, bomLength) = (.utf32LittleEndian, 4)
        case (0xFE, 0xFF, _, _): (encoding, bomLength) = (.utf16BigEndian, 2)
        case (0xFF, 0xFE, _, _): (encoding, bomLength) = (.utf16LittleEndian, 2)
        case (0xEF, 0xBB, 0xBF, _): (encoding, bomLength) = (.utf8, 3)
        case let (0, 0, 0, .some(last)) where last != 0: (encoding, bomLength) = (.utf32BigEndian, 0)
        case let (0, .some(second), 0, .some(fourth)) where second != 0 && fourth != 0:
            (encoding, bomLength) = (.utf16BigEndian, 0)
        case let (.some(first), 0, 0, 0) where first != 0: (encoding, bomLength) = (.utf32LittleEndian, 0)
        case let (.some(first), 0, .some(third), 0) where first != 0 && third != 0:
            (encoding, bomLength) = (.utf16LittleEndian, 0)
        case let (0, .some(second), nil, nil) where second != 0: (encoding, bomLength) = (.utf16BigEndian, 0)
        case let (.some(first), 0, nil, nil) where first != 0: (encoding, bomLength) = (.utf16LittleEndian, 0)
        default: (encoding, bomLength) = (.utf8, 0)
        }
        let body = data.dropFirst(bomLength)
        if encoding == .utf8 { return [UInt8](body) }
        guard let text = String(bytes: body, encoding: encoding) else { return nil }
        return Array(text.utf8)
    }
}
