import Foundation
import NIOCore
import NIOPosix

/// A plain SMTP client (RFC 5321) for handing a message to the configured relay: EHLO, MAIL,
/// RCPT, DATA with dot-stuffing, QUIT. No TLS or AUTH: it talks to a relay on a trusted
/// network (a local MTA or a sidecar), which is how the suite is deployed.
struct SMTPClient: Sendable {
    var host: String
    var port: Int
    var heloName: String = "loom.local"
    var timeout: Duration = .seconds(20)

    struct ServerReply: Sendable {
        var code: Int
        var text: String
    }

    func send(from: String, to: [String], message: String) async throws(DeliveryFailure) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.converse(from: from, to: to, message: message) }
                group.addTask {
                    try await Task.sleep(for: self.timeout)
                    throw DeliveryFailure(code: "smtp_timeout", detail: "the SMTP server did not finish within \(self.timeout)", retryable: true)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let failure as DeliveryFailure {
            throw failure
        } catch {
            throw DeliveryFailure(code: "smtp_unreachable", detail: "\(error)", retryable: true)
        }
    }

    private func converse(from: String, to: [String], message: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var reader = LineReader(inbound.makeAsyncIterator())
            func expect(_ codes: ClosedRange<Int>, after command: String?) async throws {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let reply = try await reader.reply()
                guard codes.contains(reply.code) else {
                    let verb = command?.split(separator: " ").first.map(String.init) ?? "greeting"
                    throw DeliveryFailure(
                        code: "smtp_\(reply.code)", detail: "\(verb) refused: \(reply.code) \(reply.text)", retryable: reply.code >= 400 && reply.code < 500)
                }
            }
            try await expect(200...299, after: nil)
            try await expect(200...299, after: "EHLO \(heloName)")
            // Addresses can come from an inbound mail; a CR or LF in one would add SMTP commands.
            try await expect(200...299, after: "MAIL FROM:<\(MailHeaderValue.clean(from))>")
            for recipient in to { try await expect(200...299, after: "RCPT TO:<\(MailHeaderValue.clean(recipient))>") }
            try await expect(300...399, after: "DATA")
            try await expect(200...299, after: Self.dotStuffed(message) + "\r\n.")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    /// CRLF line endings, and a leading "." doubled so no line ends the data early.
    static func dotStuffed(_ message: String) -> String {
        message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }
}

/// Reads CRLF-terminated lines and multi-line SMTP replies (`250-…` continued, `250 …` last).
private struct LineReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    /// Bytes, not a String: "\r\n" is a single Character, so a String search for "\n" misses it.
    var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

    mutating func line() async throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                pending.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard let buffer = try await iterator.next() else {
                throw DeliveryFailure(code: "smtp_closed", detail: "the server closed the connection", retryable: true)
            }
            pending += buffer.readableBytesView
            if pending.count > 64 * 1024 {
                throw DeliveryFailure(code: "smtp_protocol", detail: "an over-long reply line", retryable: false)
            }
        }
    }

    mutating func reply() async throws -> SMTPClient.ServerReply {
        var text: [String] = []
        while true {
            let line = try await line()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw DeliveryFailure(code: "smtp_protocol", detail: "not an SMTP reply: \(line.prefix(80))", retryable: false)
            }
            text.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                return SMTPClient.ServerReply(code: code, text: text.joined(separator: " "))
            }
        }
    }
}
