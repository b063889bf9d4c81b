import Foundation

extension WireJSONEncoderState {
    /// A JSONValue tree written without a scope per node. Its bytes are those of
    /// `JSONValue.encode(to:)`: objects go through the same keyed frames, so they are sorted the same.
    func encodeJSONValue(_ value: JSONValue, parent: WireScopeEncoder?, key: (any CodingKey)?) throws {
        let mark = markHere()
        let wasTooDeep = depthExceeded
        if appendJSONValue(value) { return }
        // A NaN or infinity inside: take the bytes back and let the Codable path throw
        // Foundation's error, with the coding path to the number.
        rollBack(mark)
        depthExceeded = wasTooDeep
        try encodeWithScope(parent: parent, key: key) { try value.encode(to: $0) }
    }

    /// False at the first number JSON cannot hold.
    private func appendJSONValue(_ value: JSONValue) -> Bool {
        switch value {
        case .null:
            bytes.append(contentsOf: WireJSONText.null)
        case .bool(let flag):
            bytes.append(contentsOf: flag ? WireJSONText.true : WireJSONText.false)
        case .number(let number):
            guard number.isFinite else { return false }
            WireJSONText.appendDouble(number, to: &bytes)
        case .string(let text):
            WireJSONText.appendString(text, to: &bytes)
        case .array(let elements):
            _ = openFrame(.unkeyed, parentEntry: nil)
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(WireJSONText.comma) }
                guard appendJSONValue(element) else { return false }
            }
            closeTopFrame()
        case .object(let members):
            let id = openFrame(.keyed, parentEntry: nil)
            for (name, member) in members {
                guard let entry = beginEntry(in: id, key: name) else { return false }
                guard appendJSONValue(member) else { return false }
                endEntry(entry)
            }
            closeTopFrame()
        }
        return true
    }
}
