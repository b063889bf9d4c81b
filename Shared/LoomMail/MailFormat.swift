import Foundation

/// Header values every composed message needs, in one place for the ingress's replies and the
/// tools' `send_email`.
public enum MailFormat {
    /// Non-ASCII header text as an RFC 2047 encoded word.
    public static func encodedHeader(_ text: String) -> String {
        text.allSatisfy(\.isASCII) ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// An RFC 5322 date in UTC.
    public static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// The headers that end every plain-text message, quoted-printable encoded.
    public static let plainTextHeaders = [
        "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable",
    ]
}
