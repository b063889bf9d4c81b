import Crypto
import Foundation
import LoomContract

/// Message and record ids.
public enum MessageID {
    /// A fresh random id such as `msg_3f9c…`.
    public static func random(_ prefix: String) -> String {
        "\(prefix)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// A deterministic id for something derived from `parent`: the same inputs always give
    /// the same id, so reprocessing after a crash yields ids the next hop already knows.
    public static func derived(_ prefix: String, from parent: String, _ label: String = "") -> String {
        let digest = SHA256.hash(data: Data("\(parent)\u{1F}\(label)".utf8))
        return "\(prefix)_" + Hex.string(digest.prefix(16))
    }
}
