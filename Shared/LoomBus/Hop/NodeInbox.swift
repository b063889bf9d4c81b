import Foundation
import LoomContract
import Synchronization

/// What arrives on a node's sockets, taken on the engine thread as it is read.
///
/// A reply wakes its waiting caller there and then, and any other frame starts its handler's
/// task directly: one hand-off from the socket to the code that answers it, where a stream per
/// socket and a dispatch loop made three. Replies settle from the start; the other frames wait
/// here until ``BusNode/serve(_:)`` supplies the handlers.
final class NodeInbox: Sendable {
    /// A frame that passed admission, with its sender.
    struct Admitted: Sendable {
        var frame: HopFrame
        var from: PeerAddress
        var identity: BusIdentity?
    }

    /// At most this many frames wait for `serve`; later ones are dropped (and resent by their
    /// senders, who got no answer).
    static let waitingLimit = 4096

    private struct State {
        var node: BusNode?
        /// Messages read before the node existed.
        var early: [(ReceivedMessage, PeerAddress?)] = []
        var handlers: BusHandlers?
        var waiting: [Admitted] = []
        var openSockets: Int
        var stopped = false
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var lastTask: UInt64 = 0
        /// `serve`, waiting for the sockets to close (or its cancellation) and the handlers to end.
        var served: CheckedContinuation<Void, Never>?

        var done: Bool { (stopped || openSockets == 0) && tasks.isEmpty }

        mutating func takeServedIfDone() -> CheckedContinuation<Void, Never>? {
            guard done else { return nil }
            defer { served = nil }
            return served
        }
    }

    private let state: Mutex<State>

    init(sockets: Int) {
        state = Mutex(State(openSockets: sockets))
    }

    /// The node the messages are for; what arrived before it existed is taken now.
    func attach(_ node: BusNode) {
        while true {
            let early = state.withLock { state -> [(ReceivedMessage, PeerAddress?)] in
                if state.early.isEmpty { state.node = node }
                defer { state.early = [] }
                return state.early
            }
            if early.isEmpty { return }
            for (message, peer) in early { node.take(message, on: peer) }
        }
    }

    /// Called by the engine for each message read on a socket (`peer` nil for the listener),
    /// and with nil when that socket closes.
    func receive(_ message: ReceivedMessage?, on peer: PeerAddress?) {
        guard let message else {
            // The last socket closed: the node is let go (outside the lock), ending the cycle.
            let (served, node) = state.withLock { state in
                state.openSockets -= 1
                defer { if state.openSockets == 0 { state.node = nil } }
                return (state.takeServedIfDone(), state.node)
            }
            withExtendedLifetime(node) { served?.resume() }
            return
        }
        let node = state.withLock { state -> BusNode? in
            if state.node == nil { state.early.append((message, peer)) }
            return state.node
        }
        node?.take(message, on: peer)
    }

    /// Hands a frame to the handlers, or keeps it until there are some; false when it was
    /// dropped (serving stopped, or too many wait).
    func handle(_ admitted: Admitted, dispatch: (Admitted, BusHandlers) -> Void) -> Bool {
        let handlers = state.withLock { state -> BusHandlers?? in
            if state.stopped { return .some(nil) }
            guard let handlers = state.handlers else {
                guard state.waiting.count < Self.waitingLimit else { return .some(nil) }
                state.waiting.append(admitted)
                return nil
            }
            return handlers
        }
        switch handlers {
        case .none: return true
        case .some(.none): return false
        case .some(.some(let handlers)):
            dispatch(admitted, handlers)
            return true
        }
    }

    /// Runs `work` in a task of its own, tracked so that `serve` ends only after it.
    func spawn(_ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard !state.stopped else { return }
            state.lastTask += 1
            let id = state.lastTask
            state.tasks[id] = Task {
                await work()
                self.ended(id)
            }
        }
    }

    private func ended(_ id: UInt64) {
        let served = state.withLock { state in
            state.tasks[id] = nil
            return state.takeServedIfDone()
        }
        served?.resume()
    }

    /// Supplies the handlers, dispatches what waited for them, and returns once every socket
    /// closed or the caller is cancelled, and the handlers' tasks have ended.
    func serve(_ handlers: BusHandlers, dispatch: @escaping (Admitted, BusHandlers) -> Void) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (served: CheckedContinuation<Void, Never>) in
                let backlog = state.withLock { state -> [Admitted]? in
                    guard state.handlers == nil, !state.done else { return nil }
                    state.handlers = handlers
                    state.served = served
                    defer { state.waiting = [] }
                    return state.waiting
                }
                guard let backlog else {
                    served.resume()
                    return
                }
                for admitted in backlog { dispatch(admitted, handlers) }
            }
        } onCancel: {
            stop()
        }
    }

    /// Stops taking frames for the handlers and cancels their tasks; replies still settle.
    private func stop() {
        let (tasks, served) = state.withLock { state in
            state.stopped = true
            state.waiting = []
            return (Array(state.tasks.values), state.takeServedIfDone())
        }
        for task in tasks { task.cancel() }
        served?.resume()
    }
}
