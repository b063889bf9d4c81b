import Foundation
import Logging
import LoomContract
import MCP

/// Wraps a transport so that only messages within the suite's JSON limits (depth, string and
/// document sizes) reach the SDK's decoder: Foundation's parser is never handed a 513-deep
/// array or a 100 MB string from a server. A message refused here is dropped and counted;
/// the call it answered then ends at its timeout.
actor McpGuardedTransport: Transport {
    nonisolated let logger: Logger
    private let inner: any Transport
    private let limits: JSONLimits
    private(set) var refused = 0

    init(_ inner: any Transport, limits: JSONLimits, logger: Logger) {
        self.inner = inner
        self.limits = limits
        self.logger = logger
    }

    func connect() async throws { try await inner.connect() }
    func disconnect() async { await inner.disconnect() }
    func send(_ data: Data) async throws { try await inner.send(data) }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        let (limits, logger) = (limits, logger)
        let source = inner
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await message in await source.receive() {
                        if Self.admits(message, limits) {
                            continuation.yield(message)
                        } else {
                            self.countRefused()
                            logger.warning("dropped an MCP message outside the JSON limits (\(message.count) bytes)")
                        }
                    }
                    continuation.finish(throwing: McpPipeTransport.Closed())
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func countRefused() { refused += 1 }

    static func admits(_ message: Data, _ limits: JSONLimits) -> Bool {
        do {
            try limits.check(message)
            return true
        } catch {
            return false
        }
    }
}
