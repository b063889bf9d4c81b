import Foundation
import LoomConfig
import LoomContract
import Testing

@testable import LoomTools

/// The pure parts of `http_callout`: which redirects are followed, how the request is built from
/// the admin's template and the model's arguments, and what the model gets back.
struct CalloutPolicyTests {
    static let start = URL(string: "https://api.example.com/v1/orders")!

    static func decide(
        _ status: Int, _ location: String?, method: String = "GET", followed: Int = 0
    ) -> RedirectPolicy.Decision {
        RedirectPolicy.decide(
            status: status, location: location, from: start, method: method, followed: followed, limit: 3)
    }

    @Test func redirectsAreFollowedToTheSameOriginOnly() {
        #expect(
            Self.decide(302, "/v1/other")
                == .follow(URL(string: "https://api.example.com/v1/other")!, method: "GET", keepsBody: true))
        #expect(
            Self.decide(307, "https://API.example.com:443/x", method: "POST")
                == .follow(URL(string: "https://API.example.com:443/x")!, method: "POST", keepsBody: true))
        #expect(
            Self.decide(303, "/done", method: "POST")
                == .follow(URL(string: "https://api.example.com/done")!, method: "GET", keepsBody: false))
        for other in [
            "https://evil.example.com/", "http://api.example.com/v1", "https://api.example.com:8443/",
            "//169.254.169.254/",
        ] {
            guard case .refuse(let code, _) = Self.decide(302, other) else {
                Issue.record("followed \(other)")
                continue
            }
            #expect(code == "redirect_not_allowed", "\(other)")
        }
        guard case .refuse(let code, _) = Self.decide(301, "/again", followed: 3) else {
            Issue.record("followed past the limit")
            return
        }
        #expect(code == "too_many_redirects")
        #expect(Self.decide(200, "/x") == .none)
        #expect(Self.decide(302, nil) == .none)
    }

    static func backend(_ fields: [String: JSONValue]) throws -> HTTPCalloutBackend {
        try HTTPCalloutBackend(backend: ["baseURL": "https://api.example.com/v1"].merging(fields) { $1 })
    }

    @Test func theRequestIsBuiltFromTheTemplateAndTheArguments() throws {
        let backend = try Self.backend([
            "method": "GET", "path": "/orders/{orderId}",
            "headers": .object(["Authorization": "Bearer ${env:API_TOKEN}", "Accept": "application/json"]),
        ])
        let plan = try CalloutPlan.make(
            backend, arguments: ["orderId": "A/../../admin?x=1#", "verbose": .bool(true), "limit": .number(5)],
            idempotencyKey: "k1", environment: ["API_TOKEN": "tok-123456"])
        #expect(
            plan.url.absoluteString
                == "https://api.example.com/v1/orders/A%2F..%2F..%2Fadmin%3Fx%3D1%23?limit=5&verbose=true")
        #expect(plan.headers.map(\.name) == ["Accept", "Authorization", "Idempotency-Key"])
        #expect(plan.headers.first { $0.name == "Authorization" }?.value == "Bearer tok-123456")
        #expect(plan.body == nil && plan.secrets == ["tok-123456"])

        let post = try CalloutPlan.make(
            try Self.backend(["method": "POST", "path": "/tickets"]), arguments: ["title": "Broken"],
            idempotencyKey: "k2",
            environment: [:])
        #expect(post.body.map { String(decoding: $0, as: UTF8.self) } == #"{"title":"Broken"}"#)
    }

    @Test func badArgumentsAndMissingSecretsAreRefused() throws {
        let backend = try Self.backend(["path": "/orders/{orderId}", "headers": .object(["X-Key": "${env:MISSING}"])])
        #expect(throws: CalloutPlan.Refusal.self) {
            try CalloutPlan.make(backend, arguments: [:], idempotencyKey: "k", environment: ["MISSING": "x"])
        }
        for value: JSONValue in ["..", ".", "", .object([:]), .array([])] {
            #expect(throws: CalloutPlan.Refusal.self) {
                try CalloutPlan.make(
                    backend, arguments: ["orderId": value], idempotencyKey: "k", environment: ["MISSING": "x"])
            }
        }
        do {
            _ = try CalloutPlan.make(backend, arguments: ["orderId": "1"], idempotencyKey: "k", environment: [:])
            Issue.record("sent without its secret")
        } catch {
            #expect(error.code == "not_configured")
        }
        // A secret that would end the header is not used.
        #expect(HeaderTemplate.render("Bearer ${env:T}", environment: ["T": "a\r\nX-Evil: 1"]) == nil)
    }

    @Test func headerTemplatesAreCheckedByTheConfigCheck() throws {
        #expect(
            HeaderTemplate.secrets(in: "Bearer ${env:A} ${file:/run/b}") == [
                SecretReference("env:A"), SecretReference("file:/run/b"),
            ])
        #expect(HeaderTemplate.problem(in: "Bearer ${env:A}") == nil)
        #expect(HeaderTemplate.problem(in: "Bearer ${literal}") != nil)
        #expect(HeaderTemplate.problem(in: "Bearer ${env:A") != nil)
        let bad = try Self.backend([
            "baseURL": "ftp://user:pw@host/x?q", "method": "TRACE", "maxResponseBytes": 0,
            "allowedNetworks": .array(["10.0.0.0/99"]),
        ])
        #expect(bad.problems.count >= 4, "\(bad.problems)")
        #expect(try Self.backend([:]).problems.isEmpty)
    }

    @Test func responsesBecomeResults() {
        let ok = CalloutResponse.result(
            status: 200, contentType: "application/json; charset=utf-8", body: Array(#"{"a":1,"t":"tok-123456"}"#.utf8),
            secrets: ["tok-123456"], irreversible: true)
        #expect(ok.success && ok.result == .object(["status": 200, "body": .object(["a": 1, "t": "[redacted]"])]))
        let text = CalloutResponse.result(
            status: 201, contentType: "text/plain", body: Array("made".utf8), secrets: [], irreversible: true)
        #expect(text.result == .object(["status": 201, "body": "made"]))
        let refused = CalloutResponse.result(status: 404, contentType: nil, body: [], secrets: [], irreversible: false)
        #expect(!refused.success && refused.code == "http_404" && !refused.retryable)
        let failed = CalloutResponse.result(status: 503, contentType: nil, body: [], secrets: [], irreversible: false)
        #expect(failed.code == "http_503" && failed.retryable)
        let irreversible = CalloutResponse.result(
            status: 503, contentType: nil, body: [], secrets: [], irreversible: true)
        #expect(!irreversible.retryable)
    }
}
