import Foundation

/// A W3C Trace Context `traceparent` value.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    public var traceId: String
    public var spanId: String
    public var sampled: Bool

    public static func random() -> TraceParent {
        TraceParent(traceId: randomHex(bytes: 16), spanId: randomHex(bytes: 8), sampled: true)
    }

    public init(traceId: String, spanId: String, sampled: Bool) {
        self.traceId = traceId
        self.spanId = spanId
        self.sampled = sampled
    }

    /// Parses `00-<32 hex>-<16 hex>-<2 hex>`; anything else is nil.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.dropFirst().allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        self.init(traceId: String(parts[1]).lowercased(), spanId: String(parts[2]).lowercased(), sampled: parts[3].hasSuffix("1"))
    }

    /// The same trace with a new span, for the next hop.
    public func child() -> TraceParent { TraceParent(traceId: traceId, spanId: Self.randomHex(bytes: 8), sampled: sampled) }

    public var description: String { "00-\(traceId)-\(spanId)-\(sampled ? "01" : "00")" }

    static func randomHex(bytes: Int) -> String { Hex.random(bytes: bytes) }
}
