import AsyncHTTPClient
import Foundation
import LoomConfig
import LoomContract
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Makes one `http_callout`: resolves the host, lets ``AddressPolicy`` check every address,
/// and connects to the address it checked (AsyncHTTPClient's `dnsOverride` maps the host name
/// to it, so TLS still verifies and sends the name: no second lookup can rebind it). Redirects
/// are followed by hand, per ``RedirectPolicy``; the body is streamed and cut at the cap.
struct HTTPCallout: Sendable {
    var environment: [String: String]
    /// Name → addresses; the system resolver, or a fixed answer in tests.
    var resolve: @Sendable (String) async throws -> [NetworkAddress] = HTTPCallout.systemResolve

    struct Stop: Error {
        var result: ToolCallResult
    }

    func run(
        _ backend: HTTPCalloutBackend, arguments: [String: JSONValue], key: String, irreversible: Bool
    ) async
        -> ToolCallResult
    {
        let initial: CalloutPlan
        do {
            initial = try CalloutPlan.make(backend, arguments: arguments, idempotencyKey: key, environment: environment)
        } catch {
            return .failure(error.code, error.reason)
        }
        let allowance = AddressPolicy.Allowance(
            privateNetworks: backend.allowPrivateNetworks, ranges: backend.allowedNetworks.compactMap(NetworkRange.init)
        )
        let timeout = Duration.milliseconds(Int64(backend.timeoutSeconds * 1000))
        do {
            return try await withThrowingTaskGroup(of: ToolCallResult.self) { group in
                group.addTask {
                    var plan = initial
                    var followed = 0
                    while true {
                        let (status, headers, body) = try await self.exchange(plan, allowance, backend, timeout)
                        switch RedirectPolicy.decide(
                            status: status, location: headers.first(name: "location"), from: plan.url,
                            method: plan.method,
                            followed: followed, limit: backend.maxRedirects)
                        {
                        case .none:
                            return CalloutResponse.result(
                                status: status, contentType: headers.first(name: "content-type"), body: body,
                                secrets: initial.secrets, irreversible: irreversible)
                        case .refuse(let code, let reason):
                            return .failure(code, reason)
                        case .follow(let url, let method, let keepsBody):
                            followed += 1
                            plan.url = url
                            plan.method = method
                            if !keepsBody {
                                plan.body = nil
                                plan.headers.removeAll { $0.name == "Content-Type" }
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return Self.timedOut(backend, irreversible: irreversible)
                }
                let first = try await group.next() ?? .failure("callout_failed", "the callout ended without an answer")
                group.cancelAll()
                return first
            }
        } catch let stop as Stop {
            return stop.result
        } catch let client as HTTPClientError where client == .deadlineExceeded || client == .readTimeout {
            // The client's own deadline is the same limit as the timer's; on a busy machine either fires first.
            return Self.timedOut(backend, irreversible: irreversible)
        } catch {
            return Self.failure(error, irreversible: irreversible)
        }
    }

    /// One request to the address the policy allowed; the body read up to the cap.
    private func exchange(
        _ plan: CalloutPlan, _ allowance: AddressPolicy.Allowance, _ backend: HTTPCalloutBackend, _ timeout: Duration
    ) async throws -> (Int, HTTPHeaders, [UInt8]) {
        guard let host = plan.url.host, !host.isEmpty else {
            throw Stop(result: .failure("invalid_arguments", "the callout's URL has no host"))
        }
        let addresses: [NetworkAddress]
        if let literal = NetworkAddress(host) {
            addresses = [literal]
        } else {
            do { addresses = try await resolve(host) } catch {
                throw Stop(result: .failure("unresolved", "the host '\(host)' could not be resolved", retryable: true))
            }
        }
        let allowed: [NetworkAddress]
        switch AddressPolicy.decide(addresses, allowance) {
        case .connect(let checked): allowed = checked
        case .nothingResolved:
            throw Stop(result: .failure("unresolved", "the host '\(host)' has no address", retryable: true))
        case .refuse(let refused, let kind):
            throw Stop(
                result: .failure(
                    "address_not_allowed",
                    "'\(host)' is \(refused), a \(kind.rawValue) address this capability may not call",
                    guidance: "the callout can reach only the addresses its configuration allows"))
        }
        for (index, address) in allowed.enumerated() {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.decompression = .disabled
            configuration.connectionPool.retryConnectionEstablishment = false
            if let caFile = backend.caFile {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(caFile)
                configuration.tlsConfiguration = tls
            }
            if NetworkAddress(host) == nil { configuration.dnsOverride = [host: address.description] }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            do {
                let answer = try await Self.send(plan, client: client, timeout: timeout, cap: backend.maxResponseBytes)
                try await client.shutdown()
                return answer
            } catch {
                try? await client.shutdown()
                // Nothing was sent to this address: the next checked one may take the call.
                let sentNothing = Self.failure(error, irreversible: true).code == "unreachable"
                if !sentNothing || index == allowed.count - 1 { throw error }
            }
        }
        throw Stop(result: .failure("unresolved", "the host '\(host)' has no address", retryable: true))
    }

    private static func send(
        _ plan: CalloutPlan, client: HTTPClient, timeout: Duration, cap: Int
    ) async throws
        -> (Int, HTTPHeaders, [UInt8])
    {
        var request = HTTPClientRequest(url: plan.url.absoluteString)
        request.method = HTTPMethod(rawValue: plan.method)
        request.headers.add(name: "User-Agent", value: "loom-tools")
        for header in plan.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = plan.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let (seconds, attoseconds) = timeout.components
        let response = try await client.execute(
            request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let tooLarge = Stop(
            result: .failure(
                "response_too_large", "the service answered more than \(cap) bytes; the answer was dropped"))
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > cap {
            throw tooLarge
        }
        var body: [UInt8] = []
        for try await chunk in response.body {
            guard body.count + chunk.readableBytes <= cap else { throw tooLarge }
            body += chunk.readableBytesView
        }
        return (Int(response.status.code), response.headers, body)
    }

    static func timedOut(_ backend: HTTPCalloutBackend, irreversible: Bool) -> ToolCallResult {
        let note = irreversible ? "; it may have acted, so the call is not repeated" : ""
        return .failure(
            "timeout", "the service did not answer within \(backend.timeoutSeconds) s\(note)", retryable: !irreversible)
    }

    /// An error before an answer: refused connections and TLS failures sent nothing; anything
    /// else may have reached the service.
    static func failure(_ error: any Error, irreversible: Bool) -> ToolCallResult {
        if let client = error as? HTTPClientError, client == .connectTimeout {
            return .failure("unreachable", "the service could not be reached", retryable: true)
        }
        if error is NIOConnectionError || (error as? IOError)?.errnoCode == ECONNREFUSED {
            return .failure("unreachable", "the service refused the connection", retryable: true)
        }
        let text = "\(error)"
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") {
            return .failure("tls_failed", "TLS with the service failed: \(text.prefix(200))")
        }
        return .failure("callout_failed", "the callout failed: \(text.prefix(200))", retryable: !irreversible)
    }

    /// `getaddrinfo` on NIO's thread pool: it blocks.
    static func systemResolve(_ host: String) async throws -> [NetworkAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let list else {
                throw Stop(result: .failure("unresolved", host))
            }
            defer { freeaddrinfo(list) }
            var found: [NetworkAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = list
            while let entry = cursor?.pointee {
                if entry.ai_family == AF_INET, let raw = entry.ai_addr {
                    let v4 = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    if let address = withUnsafeBytes(of: v4, { NetworkAddress(bytes: Array($0)) }) {
                        found.append(address)
                    }
                } else if entry.ai_family == AF_INET6, let raw = entry.ai_addr {
                    let v6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    if let address = withUnsafeBytes(of: v6, { NetworkAddress(bytes: Array($0)) }) {
                        found.append(address)
                    }
                }
                cursor = entry.ai_next
            }
            var seen = Set<NetworkAddress>()
            return found.filter { seen.insert($0).inserted }
        }
    }
}
