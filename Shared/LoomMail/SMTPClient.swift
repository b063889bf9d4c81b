import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// An SMTP client (RFC 5321) handing one message to a server: the decisions are
/// ``SMTPConversation``'s, this driver connects, moves lines and starts TLS when told.
///
/// `.plain` talks to a relay on a trusted network (a local MTA or a sidecar), as the ingress
/// does; `.startTLS` upgrades before anything else is said (RFC 3207) and verifies the
/// server's certificate, against the system's roots or a CA file the admin names.
public struct SMTPClient: Sendable {
    public enum Security: Sendable, Equatable {
        case plain
        case startTLS(caFile: String?)
    }

    public var host: String
    public var port: Int
    public var heloName: String
    public var timeout: Duration
    public var security: Security
    public var credentials: SMTPConversation.Credentials?

    public init(
        host: String, port: Int, heloName: String = "loom.local", timeout: Duration = .seconds(20),
        security: Security = .plain, credentials: SMTPConversation.Credentials? = nil
    ) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
        self.security = security
        self.credentials = credentials
    }

    public func send(from: String, to: [String], message: String) async throws(SMTPFailure) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.converse(from: from, to: to, message: message) }
                group.addTask {
                    try await Task.sleep(for: self.timeout)
                    throw SMTPFailure(
                        code: "smtp_timeout", detail: "the SMTP server did not finish within \(self.timeout)",
                        retryable: true)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let failure as SMTPFailure {
            throw failure
        } catch let failure as NIOSSLError {
            throw SMTPFailure(code: "smtp_tls", detail: "TLS with the SMTP server failed: \(failure)", retryable: false)
        } catch let failure as BoringSSLError {
            throw SMTPFailure(code: "smtp_tls", detail: "TLS with the SMTP server failed: \(failure)", retryable: false)
        } catch {
            throw SMTPFailure(code: "smtp_unreachable", detail: "\(error)", retryable: true)
        }
    }

    private func converse(from: String, to: [String], message: String) async throws {
        let tls: NIOSSLContext? = try {
            guard case .startTLS(let caFile) = security else { return nil }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if let caFile { configuration.trustRoots = .file(caFile) }
            return try NIOSSLContext(configuration: configuration)
        }()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // SNI and certificate names are host names; an IP literal is checked against the chain only.
        let serverName = Self.isAddressLiteral(host) ? nil : host
        try await channel.executeThenClose { inbound, outbound in
            var conversation = SMTPConversation(
                heloName: heloName, requireTLS: tls != nil, credentials: credentials, from: from, to: to,
                message: message)
            var iterator = inbound.makeAsyncIterator()
            var parser = SMTPReplyParser()
            func reply() async throws -> SMTPReply {
                while true {
                    if let reply = try parser.next() { return reply }
                    guard let buffer = try await iterator.next() else {
                        throw SMTPFailure(
                            code: "smtp_closed", detail: "the server closed the connection", retryable: true)
                    }
                    try parser.append(buffer.readableBytesView)
                }
            }
            var action = try conversation.receive(try await reply())
            var handshaking = false
            while true {
                switch action {
                case .send(let line):
                    do {
                        try await outbound.write(ByteBuffer(string: line + "\r\n"))
                        action = try conversation.receive(try await reply())
                    } catch let failure as SMTPFailure {
                        throw failure
                    } catch  where handshaking {
                        // A failed handshake closes the channel: the first write or read after it says so.
                        throw SMTPFailure(
                            code: "smtp_tls", detail: "TLS with the SMTP server failed: \(error)", retryable: false)
                    }
                    handshaking = false
                case .startTLS:
                    guard !parser.hasPendingBytes, let tls else {
                        throw SMTPFailure(
                            code: "smtp_protocol", detail: "data sent ahead of the TLS handshake", retryable: false)
                    }
                    let raw = channel.channel
                    try await raw.eventLoop.submit {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                        try raw.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    handshaking = true
                    action = conversation.tlsEstablished()
                case .finished:
                    // The message is accepted (250 after DATA) before this point; QUIT is a courtesy
                    // to a server that may already have closed, so its failure changes nothing.
                    do {
                        try await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                    } catch {}
                    return
                }
            }
        }
    }

    static func isAddressLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
