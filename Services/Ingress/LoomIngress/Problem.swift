import Foundation
import HTTPTypes
import Hummingbird
import LoomContract

/// An RFC 9457 problem response: every error the ingress returns has this JSON body.
struct Problem: Error, Encodable {
    var status: Int
    var title: String
    var detail: String
    /// A stable code a program can branch on.
    var code: String
    var type: String { "https://loom.dev/problems/\(code)" }
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    var retryAfter: Int?
    /// The scheme a 401 asks for (sent as `WWW-Authenticate`).
    var challenge: String?
    /// The request field at fault, for surfaces that name it (OpenAI's `param`).
    var param: String?

    enum CodingKeys: String, CodingKey { case type, title, status, detail, code }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(code, forKey: .code)
    }

    static func badRequest(_ code: String, _ detail: String) -> Problem { Problem(status: 400, title: "Bad Request", detail: detail, code: code) }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        if let challenge { headers[.wwwAuthenticate] = challenge }
        let body = (try? WireCodec.encodeValue(self)) ?? Data(#"{"title":"error"}"#.utf8)
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A JSON response with the given status.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    let body = (try? WireCodec.encodeValue(value)) ?? Data("{}".utf8)
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
}
