import Foundation
import LoomBus
import LoomContract
import LoomStore
import Logging

/// Runs pending executions, one turn at a time per session and many sessions at once.
///
/// The inbox is the queue: a committed but unprocessed execution request is work to do, so a
/// restart finds exactly the turns that did not finish and drives them again.
actor TurnScheduler {
    private let database: OrchestratorDatabase
    private let driver: ExecutionDriver
    private let codec: WireCodec
    private let logger: Logger
    private var running: Set<String> = []
    private var busySessions: Set<String> = []
    private let signal = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private var onIdle: (@Sendable () -> Void)?

    init(database: OrchestratorDatabase, driver: ExecutionDriver, codec: WireCodec, logger: Logger) {
        self.database = database
        self.driver = driver
        self.codec = codec
        self.logger = logger
    }

    /// Something new is in the inbox.
    nonisolated func wake() { signal.continuation.yield() }

    func run() async {
        wake()
        await withDiscardingTaskGroup { group in
            for await _ in signal.stream {
                for work in await due() {
                    running.insert(work.envelope.id)
                    busySessions.insert(work.request.sessionId)
                    group.addTask {
                        await self.driver.drive(work)
                        await self.finished(work)
                    }
                }
            }
        }
    }

    private func finished(_ work: ExecutionDriver.Work) {
        running.remove(work.envelope.id)
        busySessions.remove(work.request.sessionId)
        wake()
    }

    /// Pending requests whose session is not busy, oldest first, one per session.
    private func due() async -> [ExecutionDriver.Work] {
        let pending: [PendingInboxMessage]
        do {
            pending = try await database.store.read { db in try db.pendingInbox(kind: MessageKind.executionRequest.rawValue) }
        } catch {
            logger.error("cannot read pending work", metadata: ["error": "\(error)"])
            return []
        }
        var claimed = busySessions
        var work: [ExecutionDriver.Work] = []
        for message in pending where !running.contains(message.messageId) {
            guard let payload = message.payload, let envelope = try? codec.decode(payload),
                let request = envelope.payload(ExecutionRequest.self), let source = PeerAddress(message.source)
            else {
                logger.error("dropping unreadable pending work", metadata: ["message": "\(message.messageId)"])
                try? await database.store.write { db in try db.markInboxProcessed(messageId: message.messageId) }
                continue
            }
            guard !claimed.contains(request.sessionId) else { continue }
            claimed.insert(request.sessionId)
            work.append(ExecutionDriver.Work(request: request, envelope: envelope, source: source))
        }
        return work
    }
}
