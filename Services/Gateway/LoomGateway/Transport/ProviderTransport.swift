import AsyncHTTPClient
import Foundation
import LoomConfig
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Sends one HTTP call to a provider and turns what comes back into an answer or a classified
/// ``ProviderFailure``; never more than one attempt (retries are the caller's business).
struct ProviderTransport: Sendable {
    let provider: String
    let client: HTTPClient
    let timeouts: ProviderTimeouts
    /// Error bodies are read this far, for their message.
    static let maxErrorBodyBytes = 256 * 1024
    /// A whole answer larger than this is refused rather than buffered.
    static let maxAnswerBytes = 16 * 1024 * 1024

    static func makeClient(_ timeouts: ProviderTimeouts) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .milliseconds(Int64(timeouts.connectSeconds * 1000)), read: .milliseconds(Int64(timeouts.totalSeconds * 1000))))
        configuration.decompression = .enabled(limit: .ratio(100))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// One completion call.
    /// - Parameter onText: when set, the answer is streamed and each piece of text is handed
    ///   over as it arrives. Once a piece has been handed over, any failure is `interrupted`.
    func send(
        _ request: ProviderHTTPRequest, adapter: any ProviderAdapter, onText: (@Sendable (String) async -> Void)?
    ) async throws(ProviderFailure) -> ProviderAnswer {
        let progress = StreamProgress()
        return try await classifyingFailures(progress) {
            let response = try await self.perform(request, errorMessage: adapter.errorMessage(in:))
            return try await self.read(response, adapter: adapter, onText: onText, progress: progress)
        }
    }

    /// A plain POST whose whole 2xx body is returned.
    func post(_ request: ProviderHTTPRequest, errorMessage: @escaping @Sendable (Data) -> String?) async throws(ProviderFailure) -> Data {
        try await classifyingFailures(StreamProgress()) {
            let response = try await self.perform(request, errorMessage: errorMessage)
            return Data(buffer: try await response.body.collect(upTo: Self.maxAnswerBytes))
        }
    }

    /// Runs `work` under the total timeout and maps whatever it throws to a ``ProviderFailure``.
    private func classifyingFailures<T: Sendable>(
        _ progress: StreamProgress, _ work: @escaping @Sendable () async throws -> T
    ) async throws(ProviderFailure) -> T {
        do {
            return try await withTotalTimeout(.milliseconds(Int(timeouts.totalSeconds * 1000)), work)
        } catch let failure as ProviderFailure {
            throw progress.textSent && failure.kind != .interrupted
                ? ProviderFailure(kind: .interrupted, provider: provider, status: failure.status, message: failure.message) : failure
        } catch let error as ProviderFormatError {
            let kind: ProviderFailure.Kind = progress.textSent ? .interrupted : error.reportedByProvider ? .serverError : .malformed
            throw ProviderFailure(kind: kind, provider: provider, message: error.description)
        } catch is TotalTimeout {
            throw ProviderFailure(
                kind: progress.textSent ? .interrupted : .timedOut, provider: provider, message: "no complete answer within \(timeouts.totalSeconds) s")
        } catch let error as HTTPClientError {
            let timedOut = [HTTPClientError.connectTimeout, .readTimeout, .deadlineExceeded].contains(error)
            throw ProviderFailure(
                kind: progress.textSent ? .interrupted : timedOut ? .timedOut : .transport, provider: provider,
                message: timedOut ? "timed out (\(error))" : "\(error)")
        } catch {
            throw ProviderFailure(kind: progress.textSent ? .interrupted : .transport, provider: provider, message: "\(error)")
        }
    }

    /// Sends the request; a non-2xx answer becomes a classified failure with the provider's message.
    private func perform(_ request: ProviderHTTPRequest, errorMessage: (Data) -> String?) async throws -> HTTPClientResponse {
        var http = HTTPClientRequest(url: request.url.absoluteString)
        http.method = .POST
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeouts.totalSeconds * 1000))
        let response = try await client.execute(http, deadline: deadline)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = (try? await response.body.collect(upTo: Self.maxErrorBodyBytes)).map { Data(buffer: $0) } ?? Data()
            throw ProviderFailure.http(
                status: status, provider: provider, message: errorMessage(body) ?? Self.excerpt(body) ?? response.status.reasonPhrase,
                retryAfter: RetrySchedule.parseRetryAfter(response.headers.first(name: "retry-after")))
        }
        return response
    }

    private func read(
        _ response: HTTPClientResponse, adapter: any ProviderAdapter, onText: (@Sendable (String) async -> Void)?, progress: StreamProgress
    ) async throws -> ProviderAnswer {
        let isEventStream = response.headers.first(name: "content-type")?.lowercased().contains("text/event-stream") == true
        guard let onText, isEventStream else {
            // A server that ignores `stream: true` answers whole; that still works.
            let answer = try adapter.answer(from: Data(buffer: try await response.body.collect(upTo: Self.maxAnswerBytes)))
            if let onText, !answer.text.isEmpty {
                progress.textSent = true
                await onText(answer.text)
            }
            return answer
        }
        var parser = ServerSentEventParser()
        var reader = adapter.streamReader()
        reading: for try await buffer in response.body {
            for event in try parser.consume(buffer.readableBytesView) {
                if let text = try reader.read(event) {
                    progress.textSent = true
                    await onText(text)
                }
                if reader.isComplete { break reading }
            }
        }
        if !reader.isComplete, let last = parser.finish(), let text = try reader.read(last) {
            progress.textSent = true
            await onText(text)
        }
        return try reader.answer()
    }

    static func excerpt(_ body: Data) -> String? {
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Whether any text of the current attempt has reached the caller.
private final class StreamProgress: Sendable {
    private let sent = Atomic<Bool>(false)

    var textSent: Bool {
        get { sent.load(ordering: .acquiring) }
        set { sent.store(newValue, ordering: .releasing) }
    }
}

struct TotalTimeout: Error {}

/// Runs `work`, cancelling it when `limit` passes first.
func withTotalTimeout<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TotalTimeout()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TotalTimeout() }
        return first
    }
}
