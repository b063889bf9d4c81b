import Foundation
import LoomBus
import LoomContract
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension IntegrationSuites {
    /// Bytes chosen to stop a process (JSON nested past Foundation's trap depth, frames of it on
    /// the bus) or to hold its connections (clients that dribble) are refused, and the suite
    /// keeps answering ordinary traffic.
    @Suite(.serialized) struct HostileBytesTests {
        static func deep(_ depth: Int) -> Data { Data(String(repeating: "[", count: depth).utf8) }

        /// Status and error code of a refusal: a problem body, or OpenAI's error shape on its endpoint.
        static func refusal(_ response: SuiteHarness.HTTPResponse, path: String) -> (Int, String?) {
            if path == "/v1/chat/completions" {
                return (response.status, (response.json["error"] as? [String: Any])?["code"] as? String)
            }
            let isProblem = response.headers["content-type"] == "application/problem+json"
            return (response.status, isProblem ? response.json["code"] as? String : nil)
        }

        @Test func deepJSONOnEveryEndpointIsRefusedAndTheSuiteKeepsWorking() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await SuiteHarness(
                configDirectory: try ChannelFixtures.metadata(peer: peer), extraEnvironment: ["LOOM_OPERATOR_TOKEN": "hostile-operator"])
            defer { suite.stop() }

            let json = ["Content-Type": "application/json"]
            let endpoints: [(path: String, headers: (Data) -> [String: String])] = [
                ("/v1/messages", { _ in json }),
                ("/v1/agents/support/executions", { _ in json }),
                ("/v1/agents/triage/run", { _ in json }),
                ("/v1/chat/completions", { _ in json.merging(["Authorization": "Bearer sk-test-key"]) { $1 } }),
                ("/v1/approvals/apr_1/approve", { _ in json.merging(["Authorization": "Bearer hostile-operator"]) { $1 } }),
                ("/hooks/slack", { ChannelFixtures.slackHeaders($0) }),
                ("/hooks/wa-meta", { ChannelFixtures.metaHeaders($0) }),
            ]
            let inObject = #"{"agent":"support","text":"hi","extra":"# + String(repeating: "[", count: 513)
                + String(repeating: "]", count: 513) + "}"
            let bodies: [(name: String, data: Data)] = [
                ("513 deep", Self.deep(513)), ("100,000 deep", Self.deep(100_000)),
                ("deep inside an object", Data(inObject.utf8)),
            ]
            for endpoint in endpoints {
                for body in bodies {
                    let label = "\(endpoint.path), \(body.name)"
                    let headers = endpoint.headers(body.data)
                    let response = try await suite.http("POST", endpoint.path, body: body.data, headers: headers)
                    let (status, code) = Self.refusal(response, path: endpoint.path)
                    // Approvals take 64 KiB at most, which refuses the largest body before parsing.
                    let tooLarge = endpoint.path.hasPrefix("/v1/approvals") && body.data.count > 64 * 1024
                    #expect(status == (tooLarge ? 413 : 400), "\(label)")
                    #expect(code == (tooLarge ? "body_too_large" : "too_deep"), "\(label)")
                }
            }
            // Without a valid signature the webhooks refuse before reading the body at all.
            let unsigned = try await suite.http("POST", "/hooks/slack", body: Self.deep(513))
            #expect(unsigned.status == 401)

            let digits = String(repeating: "9", count: 1000)
            let longNumber = Data((#"{"agent":"support","text":"hi","n":"# + digits + "}").utf8)
            let number = try await suite.http("POST", "/v1/messages", body: longNumber)
            #expect(number.status == 400 && number.json["code"] as? String == "number_too_long")

            // Still up, and an ordinary turn succeeds.
            #expect(try await suite.http("GET", "/health").status == 200)
            let ok = try await suite.send(["agent": "support", "text": "hello"])
            #expect(ok.status == 200)
        }

        @Test func deepFramesOnTheBusAreCountedAndEveryServiceKeepsServing() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            // An authenticated operator: the limit guards the decoder that runs before authorization.
            let engine = try BusEngine(name: "hostile", security: try suite.busSecurity())
            defer { engine.shutdown() }
            let header = #"{"v":"1.0","id":"m1","kind":"control.health","traceparent":"x","createdAt":"x","body":"#
            for service in ["router", "orchestrator", "trust", "gateway", "tools"] {
                let spec = SocketSpec(kind: .dealer, connect: [suite.bus[service] ?? ""], routingId: "operator.raw-\(service)",
                    curve: .client(try suite.keys.keyPair(of: "operator"), serverKey: try Self.serverKey(of: service, suite: suite)))
                let raw = try await engine.open(spec)
                for (verb, depth) in [("DELIVER", 513), ("REQUEST", 100_000)] {
                    let frame = Data(header.utf8) + Self.deep(depth)
                    let frames = [Data("LOOM1".utf8), Data(verb.utf8), frame]
                    while await engine.send(frames, on: raw.handle) == .peerUnavailable {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }
            for service in ["router", "orchestrator", "trust", "gateway", "tools"] {
                var counted = 0
                for _ in 0..<100 where counted < 2 {
                    let health = try await suite.control(HealthQuery(), service: service, expecting: HealthResult.self)
                    counted = health.counters["frames.rejected.limit_exceeded"] ?? 0
                    if counted < 2 { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(counted == 2, "\(service)")
            }
            let ok = try await suite.send(["agent": "support", "text": "hello"])
            #expect(ok.status == 200)
        }

        static func serverKey(of service: String, suite: SuiteHarness) throws -> String {
            let roster = try BusRoster(parsing: String(contentsOf: suite.keys.rosterFile, encoding: .utf8))
            guard let key = roster.publicKey(of: service)?.key else { throw HarnessError("no roster key for \(service)") }
            return key
        }

        @Test func clientsThatDribbleTheirRequestAreDisconnected() async throws {
            let timeouts = ["LOOM_HTTP_HEADER_TIMEOUT": "2", "LOOM_HTTP_BODY_TIMEOUT": "2"]
            let suite = try await SuiteHarness(extraEnvironment: timeouts)
            defer { suite.stop() }

            // Five clients send a request head a byte a second; one sends its head at once and
            // then its body a byte a second. Each would take over a minute to finish.
            let start = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            let head = Array((start + "\r\n").utf8)
            var slowHeads = try (0..<5).map { _ in try RawConnection(port: suite.httpPort) }
            let slowBody = try RawConnection(port: suite.httpPort)
            slowBody.send(Array((start + "Content-Length: 100\r\n\r\n").utf8))
            for index in 0..<head.count {
                slowHeads.removeAll { $0.isClosedByServer }
                if slowHeads.isEmpty && slowBody.isClosedByServer { break }
                for connection in slowHeads { connection.send([head[index]]) }
                if !slowBody.isClosedByServer { slowBody.send(Array("{".utf8)) }
                try await Task.sleep(for: .seconds(1))
            }
            #expect(slowHeads.isEmpty, "every dribbling head was cut off")
            #expect(slowBody.isClosedByServer, "the dribbling body was cut off")

            let health = try await suite.http("GET", "/health")
            #expect((health.json["slowClientsDropped"] as? Int ?? 0) >= 6)
            // A client that sends its request at ordinary speed is unaffected.
            let ok = try await suite.send(["agent": "support", "text": "hello"])
            #expect(ok.status == 200)
        }
    }
}

/// A plain TCP connection, to send a request as slowly as an attacker would.
final class RawConnection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            throw HarnessError("connect() failed")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Whether the server has closed its side: reads that do not wait, past anything the server
    /// answered, see the end of the stream (or a reset) instead of "nothing yet".
    var isClosedByServer: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { continue }
            return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
        }
    }
}
