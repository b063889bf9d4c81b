import HTTPTypes
import Hummingbird

/// The ingress's routes as they are registered, so a request no route answers can be told
/// which: a path nobody serves (404) or a method the path does not take (405, with `Allow`).
struct KnownRoutes {
    let router: Router<BasicRequestContext>
    private(set) var list: [(method: HTTPRequest.Method, path: String)] = []

    init(_ router: Router<BasicRequestContext>) { self.router = router }

    mutating func get<Output: ResponseGenerator>(
        _ path: String, use handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Output
    ) {
        list.append((.get, path))
        router.get(RouterPath(path), use: handler)
    }

    mutating func post<Output: ResponseGenerator>(
        _ path: String, use handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Output
    ) {
        list.append((.post, path))
        router.post(RouterPath(path), use: handler)
    }
}

/// Answers what no route answered with a problem body instead of an empty 404.
struct UnknownRouteProblems: RouterMiddleware {
    typealias Context = BasicRequestContext
    let routes: [(method: HTTPRequest.Method, path: String)]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = Self.methods(answering: path, in: routes)
            guard !allowed.isEmpty else {
                return Problem(status: 404, title: "Not Found", detail: "no endpoint at \(path)", code: "not_found").response
            }
            let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            var response = Problem(
                status: 405, title: "Method Not Allowed", detail: "\(path) takes \(names), not \(request.method.rawValue)",
                code: "method_not_allowed"
            ).response
            response.headers[.allow] = names
            return response
        }
    }

    /// The methods of the routes whose pattern matches `path` (`:name` matches one segment).
    static func methods(answering path: String, in routes: [(method: HTTPRequest.Method, path: String)])
        -> [HTTPRequest.Method]
    {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPRequest.Method] = []
        for route in routes {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { continue }
            let matches = zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            if matches, !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods
    }
}
