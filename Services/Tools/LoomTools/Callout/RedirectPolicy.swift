import Foundation

/// Whether a callout follows a redirect: only to the same origin (scheme, host and port, the
/// default port filled in), at most the capability's number of times. 303, and 301/302 after
/// a POST, continue as a GET without the body, as browsers do; 307 and 308 keep both.
enum RedirectPolicy {
    enum Decision: Sendable, Equatable {
        case follow(URL, method: String, keepsBody: Bool)
        case refuse(code: String, reason: String)
        /// Not a redirect (or one without a usable `Location`): the response is the answer.
        case none
    }

    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    static func decide(
        status: Int, location: String?, from current: URL, method: String, followed: Int, limit: Int
    ) -> Decision {
        guard redirectStatuses.contains(status), let location, !location.isEmpty else { return .none }
        guard let target = URL(string: location, relativeTo: current)?.absoluteURL else {
            return .refuse(code: "bad_redirect", reason: "the service redirected to an unreadable location")
        }
        guard origin(of: target) == origin(of: current), origin(of: current) != nil else {
            return .refuse(
                code: "redirect_not_allowed", reason: "the service redirected to another host, which is not followed")
        }
        guard followed < limit else {
            return .refuse(code: "too_many_redirects", reason: "the service redirected more than \(limit) times")
        }
        let becomesGet = status == 303 || ((status == 301 || status == 302) && method == "POST")
        return .follow(target, method: becomesGet ? "GET" : method, keepsBody: !becomesGet)
    }

    struct Origin: Equatable {
        var scheme: String
        var host: String
        var port: Int
    }

    static func origin(of url: URL) -> Origin? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
            return nil
        }
        guard let port = url.port ?? ["http": 80, "https": 443][scheme] else { return nil }
        return Origin(scheme: scheme, host: host, port: port)
    }
}
