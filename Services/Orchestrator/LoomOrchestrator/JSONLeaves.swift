import LoomContract

/// The string leaves of a JSON value in a fixed order (object keys sorted), so they can be sent
/// to the trust layer as plain texts and put back where they came from. Masking leaf by leaf
/// keeps the structure intact whatever the originals contain.
extension JSONValue {
    var stringLeaves: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.stringLeaves)
        case .object(let map): map.sorted { $0.key < $1.key }.flatMap(\.value.stringLeaves)
        default: []
        }
    }

    /// The same value with its string leaves replaced, in ``stringLeaves`` order.
    func replacingStringLeaves(with replacements: [String]) -> JSONValue {
        var iterator = replacements.makeIterator()
        return replacing(&iterator)
    }

    private func replacing(_ iterator: inout IndexingIterator<[String]>) -> JSONValue {
        switch self {
        case .string(let text): return .string(iterator.next() ?? text)
        case .array(let items): return .array(items.map { $0.replacing(&iterator) })
        case .object(let map):
            var result: [String: JSONValue] = [:]
            for (key, value) in map.sorted(by: { $0.key < $1.key }) { result[key] = value.replacing(&iterator) }
            return .object(result)
        default: return self
        }
    }
}
