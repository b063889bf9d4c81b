/// `JSONValue.init(from:)` replayed on the map, without a Decoder per node and without the
/// DecodingErrors its `try?` attempts build and drop. The attempts keep their order (null,
/// bool, number, string, array, object), so a node gives the same value, and a node that is
/// none of them the same error: an array with a bad element, a number too large for a Double or
/// a string with bad escapes each end as a mismatch for a dictionary, as there.
extension WireDecoderImpl {
    func jsonValue(_ node: Int, _ path: WirePathNode) throws -> JSONValue {
        switch document.tag(node) {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number:
            if let number = try? document.floatingPoint(node, as: Double.self) { return .number(number) }
        case .string:
            if let text = try? document.string(node) { return .string(text) }
        case .array:
            if let elements = try? jsonArray(node, path) { return .array(elements) }
        case .object:
            return .object(try jsonObject(node, path))
        }
        throw Self.mismatch([String: Any].self, path.path, found: describe(node))
    }

    private func jsonArray(_ node: Int, _ path: WirePathNode) throws -> [JSONValue] {
        var elements: [JSONValue] = []
        elements.reserveCapacity(document.payload(node))
        var element = document.firstChild(node)
        for index in 0..<document.payload(node) {
            elements.append(try jsonValue(element, .index(index, path)))
            element = document.next(element)
        }
        return elements
    }

    /// As `Dictionary<String, JSONValue>.init(from:)` over Foundation's keyed container: every
    /// key read first, then each distinct key's first value.
    private func jsonObject(_ node: Int, _ path: WirePathNode) throws -> [String: JSONValue] {
        let end = document.next(node)
        if document.flags(node) & WireJSONDocument.objectKeysArePlain == 0 {
            var entry = document.firstChild(node)
            while entry < end {
                _ = try document.string(entry)
                entry = document.next(entry + 2)
            }
        }
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(document.payload(node))
        var entry = document.firstChild(node)
        while entry < end {
            let name = try document.string(entry)
            if members[name] == nil {
                members[name] = try jsonValue(entry + 2, .key(WireJSONKey(dictionaryKey: name), path))
            }
            entry = document.next(entry + 2)
        }
        return members
    }
}
