/// Lower-case hexadecimal for digests and random ids, written straight into the string's bytes
/// (formatting each byte with `String(format:)` cost a Foundation call per byte, on every hop).
public enum Hex {
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `count` random bytes as hex, eight bytes per draw from the generator.
    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        }
        return string(bytes.prefix(count))
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
