import Foundation

/// What a message's idempotency key and records are scoped to.
enum IdempotencyScope {
    static let maxKeyBytes = 255
    static let anonymous = "anonymous"

    /// The caller's `Idempotency-Key` made its own (`<principal>:<key>`), so one caller's key
    /// never finds another caller's message; nil without a key; 400 above 255 bytes.
    static func scoped(_ key: String?, principal: String?) throws(Problem) -> String? {
        guard let key else { return nil }
        guard key.utf8.count <= maxKeyBytes else {
            throw Problem.badRequest(
                "idempotency_key_too_long", "the Idempotency-Key is longer than \(maxKeyBytes) bytes")
        }
        return (principal ?? anonymous) + ":" + key
    }
}
