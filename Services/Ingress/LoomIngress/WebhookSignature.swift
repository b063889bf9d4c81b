import Crypto
import Foundation

/// The signature schemes of the providers that sign their webhooks. Every comparison is
/// constant-time, and a missing header is simply a mismatch.
enum WebhookSignature {
    /// Slack: `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))`,
    /// with `X-Slack-Request-Timestamp` no more than five minutes from now (replay window).
    static func slack(secret: String, timestamp: String?, signature: String?, body: Data, now: Date = Date()) -> Bool {
        guard let timestamp, let seconds = Double(timestamp), let signature, abs(now.timeIntervalSince1970 - seconds) <= 300 else {
            return false
        }
        var base = Data("v0:\(timestamp):".utf8)
        base.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: base, using: SymmetricKey(data: Data(secret.utf8)))
        return constantTimeEqual("v0=" + hex(mac), signature)
    }

    /// Twilio: `X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + key1 + value1 + …))`
    /// over the form parameters sorted by key.
    static func twilio(authToken: String, url: String, parameters: [(String, String)], signature: String?) -> Bool {
        guard let signature else { return false }
        var base = url
        for (key, value) in parameters.sorted(by: { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }) {
            base += key + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return constantTimeEqual(Data(mac).base64EncodedString(), signature)
    }

    /// Meta: `X-Hub-Signature-256: sha256=hex(HMAC-SHA256(appSecret, body))`.
    static func meta(appSecret: String, signature: String?, body: Data) -> Bool {
        guard let signature else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        return constantTimeEqual("sha256=" + hex(mac), signature)
    }

    /// A bearer token (mail relay, API keys) against the accepted ones.
    static func bearer(_ authorization: String?, accepted: [String]) -> Bool {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return false }
        let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        // Compare against every key so the time taken does not reveal which one was close.
        return accepted.map { constantTimeEqual($0, token) }.contains(true)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func hex<M: MessageAuthenticationCode>(_ mac: M) -> String {
        mac.map { String(format: "%02x", $0) }.joined()
    }
}
