/// Text from an inbound mail (its subject, sender, message ids) on its way into an outgoing
/// header or SMTP command.
///
/// A CR or LF in such a value would end the header or command early and let the sender of the
/// original mail add headers (`Bcc:`) or SMTP commands (`RCPT TO`) of their own; other control
/// characters have no place in a header either. Each becomes a space.
public enum MailHeaderValue {
    public static func clean(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: isControl) else { return value }
        var scalars = String.UnicodeScalarView()
        for scalar in value.unicodeScalars { scalars.append(isControl(scalar) ? " " : scalar) }
        return String(scalars)
    }

    /// C0 controls but tab, DEL, and the Unicode line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar != "\t" else { return false }
        return scalar.value < 0x20 || scalar.value == 0x7F || ["\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }
}
