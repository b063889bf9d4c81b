import Foundation
import LoomContract

/// The admin-owned settings of a standard `http_callout` capability: where the call goes and
/// what the model may put into it. The model's validated arguments fill the `path` template's
/// `{name}` placeholders (percent-encoded) and the rest become the JSON body or the query.
/// Header values may name secrets as `${env:NAME}` or `${file:/path}`; they are resolved in the
/// tools service alone and never appear in results, traces or logs.
public struct HTTPCalloutBackend: Sendable, Codable, Equatable {
    public enum Placement: String, Sendable, Codable, CaseIterable { case body, query, none }

    /// `http` or `https`, a host, an optional port and a path prefix; no query or credentials.
    public var baseURL: String
    public var method: String
    /// Appended to the base URL's path; `{name}` takes the argument `name`.
    public var path: String
    /// Where the arguments the path does not use go: a JSON body or the query string.
    public var arguments: Placement
    public var headers: [String: String]
    public var timeoutSeconds: Double
    public var maxResponseBytes: Int
    /// Redirects are followed only to the same scheme, host and port, at most this many.
    public var maxRedirects: Int
    /// Whether private, loopback and link-local addresses may be called (off: only public ones).
    public var allowPrivateNetworks: Bool
    /// Ranges allowed even though they are private (`10.1.2.0/24`, `127.0.0.1/32`).
    public var allowedNetworks: [String]
    /// A PEM file of the certificates to trust for `https` instead of the system's.
    public var caFile: String?

    public static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    enum CodingKeys: String, CodingKey {
        case baseURL, method, path, arguments, headers, timeoutSeconds, maxResponseBytes, maxRedirects
        case allowPrivateNetworks, allowedNetworks, caFile
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseURL = try c.decode(String.self, forKey: .baseURL)
        method = try c.decodeIfPresent(String.self, forKey: .method)?.uppercased() ?? "GET"
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
        let bodyless = method == "GET" || method == "DELETE"
        arguments = try c.decodeIfPresent(Placement.self, forKey: .arguments) ?? (bodyless ? .query : .body)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 10
        maxResponseBytes = try c.decodeIfPresent(Int.self, forKey: .maxResponseBytes) ?? 1 << 20
        maxRedirects = try c.decodeIfPresent(Int.self, forKey: .maxRedirects) ?? 3
        allowPrivateNetworks = try c.decodeIfPresent(Bool.self, forKey: .allowPrivateNetworks) ?? false
        allowedNetworks = try c.decodeIfPresent([String].self, forKey: .allowedNetworks) ?? []
        caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
    }

    /// Reads a capability's `backend` map.
    public init(backend: [String: JSONValue]) throws {
        self = try JSONDecoder().decode(Self.self, from: try JSONEncoder().encode(JSONValue.object(backend)))
    }

    /// The secrets the header templates name (`${env:NAME}`, `${file:/path}`).
    public var secrets: [SecretReference] {
        headers.values.flatMap { HeaderTemplate.secrets(in: $0) }
    }

    /// What is wrong with these settings, for the config check (empty when they can run).
    public var problems: [String] {
        var problems: [String] = []
        if let url = URLComponents(string: baseURL), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        {
            if url.user != nil || url.password != nil { problems.append("baseURL must not carry credentials") }
            if url.query != nil || url.fragment != nil { problems.append("baseURL must not have a query or fragment") }
        } else {
            problems.append("baseURL must be an http or https URL with a host")
        }
        if !Self.methods.contains(method) {
            problems.append("method must be one of \(Self.methods.sorted().joined(separator: ", "))")
        }
        if !path.isEmpty && !path.hasPrefix("/") { problems.append("path must start with '/'") }
        if path.contains("?") || path.contains("#") { problems.append("path must not have a query or fragment") }
        if arguments == .body && (method == "GET" || method == "DELETE") {
            problems.append("\(method) sends no body: use arguments: query or none")
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if !HeaderTemplate.isToken(name) { problems.append("'\(name)' is not a header name") }
            if let problem = HeaderTemplate.problem(in: value) { problems.append("header '\(name)': \(problem)") }
        }
        if !(timeoutSeconds > 0 && timeoutSeconds <= 300) { problems.append("timeoutSeconds must be in (0, 300]") }
        if !(1...(64 << 20)).contains(maxResponseBytes) {
            problems.append("maxResponseBytes must be between 1 and 64 MiB")
        }
        if !(0...10).contains(maxRedirects) { problems.append("maxRedirects must be between 0 and 10") }
        if let caFile, !caFile.hasPrefix("/") { problems.append("caFile must be an absolute path") }
        for range in allowedNetworks where NetworkRange(range) == nil {
            problems.append("'\(range)' in allowedNetworks is not an address range (CIDR)")
        }
        return problems
    }
}

/// A header value with `${env:NAME}` and `${file:/path}` placeholders for secrets.
public enum HeaderTemplate {
    /// The secret references in `template`, in order.
    public static func secrets(in template: String) -> [SecretReference] {
        pieces(template).compactMap { if case .secret(let reference) = $0 { reference } else { nil } }
    }

    /// The value with each secret resolved; nil when one is missing or the result would carry a
    /// CR, LF or other control character (a header of its own).
    public static func render(_ template: String, environment: [String: String]) -> String? {
        var value = ""
        for piece in pieces(template) {
            switch piece {
            case .text(let text): value += text
            case .secret(let reference):
                guard let secret = reference.resolve(environment: environment) else { return nil }
                value += secret
            }
        }
        guard !value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) else {
            return nil
        }
        return value
    }

    /// Why the template cannot be used, or nil.
    public static func problem(in template: String) -> String? {
        if template.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) { return "control characters" }
        let open = template.components(separatedBy: "${").count - 1
        if open != secrets(in: template).count { return "an unclosed or unknown '${…}'" }
        return nil
    }

    enum Piece: Equatable {
        case text(String)
        case secret(SecretReference)
    }

    static func pieces(_ template: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let inner = String(rest[start.upperBound..<end])
            pieces.append(.text(String(rest[..<start.lowerBound])))
            if inner.hasPrefix("env:") || inner.hasPrefix("file:") {
                pieces.append(.secret(SecretReference(inner)))
            } else {
                pieces.append(.text("${\(inner)}"))
            }
            rest = rest[rest.index(after: end)...]
        }
        pieces.append(.text(String(rest)))
        return pieces.filter { $0 != .text("") }
    }

    /// An RFC 9110 token (header field names).
    public static func isToken(_ name: String) -> Bool {
        let symbols = "!#$%&'*+-.^_`|~".unicodeScalars
        return !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || symbols.contains($0))
            }
    }
}
