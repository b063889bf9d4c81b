/// What a mask token looks like, for callers deciding whether unmasking can change a text.
///
/// Tokens are `[KIND_n]`, read back with the spaces a model may add inside the brackets (the
/// trust layer's pattern is `\[\s*([A-Za-z][A-Za-z0-9_]*?)\s*_\s*(\d+)\s*\]`). Every match has a
/// `[`, then a `_`, then a digit, then a `]`, in that order. A text without them holds no token,
/// so unmasking it would return it unchanged: the round trip to the trust layer is skipped.
public enum MaskTokenShape {
    /// False only when no token can be in `text`; true does not mean one is.
    public static func mayAppear(in text: String) -> Bool {
        var stage = 0
        for byte in text.utf8 {
            switch (stage, byte) {
            case (0, UInt8(ascii: "[")): stage = 1
            case (1, UInt8(ascii: "_")): stage = 2
            case (2, UInt8(ascii: "0")...UInt8(ascii: "9")): stage = 3
            case (3, UInt8(ascii: "]")): return true
            default: break
            }
        }
        return false
    }
}
