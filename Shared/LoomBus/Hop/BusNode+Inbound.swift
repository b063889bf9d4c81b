import Foundation
import LoomContract

/// Frames as they come off the sockets, on the engine thread: admitted, parsed, and either
/// settled at once (a reply) or started as the task that handles them.
extension BusNode {
    /// Takes one message read on a link to `peer`, or on the listener when `peer` is nil.
    func take(_ message: ReceivedMessage, on peer: PeerAddress?) {
        let admitted = peer.map { (message.frames[...], $0, linkIdentities[$0.name]) } ?? admitListenerMessage(message)
        guard let (frames, from, identity) = admitted else { return }
        let frame: HopFrame
        do {
            frame = try HopFrame.parse(frames)
        } catch {
            counters.increment(error.counterName)
            logger.warning("dropped a frame that is not LOOM1 from \(from)", metadata: ["reason": "\(error)"])
            return
        }
        if case .reply(let requestId, let envelope) = frame {
            if !answer("reply:\(requestId)", from: from, with: .reply(envelope)) { counters.increment("replies.late") }
            return
        }
        if case .ack(let ack) = frame { _ = answer("ack:\(ack.messageId)", from: from, with: .ack(ack)) }
        let admittedFrame = NodeInbox.Admitted(frame: frame, from: from, identity: identity)
        if !inbox.handle(admittedFrame, dispatch: dispatch) { counters.increment("frames.dropped.notServed") }
    }

    /// Starts the task that handles one frame.
    func dispatch(_ admitted: NodeInbox.Admitted, handlers: BusHandlers) {
        let (from, identity) = (admitted.from, admitted.identity)
        switch admitted.frame {
        case .reply:
            break
        case .ack(let ack):
            inbox.spawn { await handlers.acknowledged(ack, from) }
        case .deliver(let data):
            inbox.spawn {
                guard let envelope = self.decode(data, from: from) else { return }
                guard self.permits(envelope, from: from, identity: identity) else {
                    self.post(.ack(.rejected(envelope.id, code: "forbidden", detail: Self.forbidden(envelope))), to: from)
                    return
                }
                let ack = await handlers.deliver(envelope, from)
                if ack.outcome == .duplicate { self.counters.increment("deliveries.duplicate") }
                self.post(.ack(ack), to: from)
            }
        case .request(let data):
            inbox.spawn {
                guard let envelope = self.decode(data, from: from) else { return }
                await self.answer(envelope, from: from, identity: identity, handlers: handlers)
            }
        }
    }

    private func answer(_ envelope: Envelope, from: PeerAddress, identity: BusIdentity?, handlers: BusHandlers) async {
        let payload: any MessagePayload =
            if !permits(envelope, from: from, identity: identity) {
                Failure(code: "forbidden", message: Self.forbidden(envelope))
            } else if let expired = Self.expired(envelope, now: Date()) {
                expired
            } else {
                await handlers.request(envelope, from)
            }
        let reply = envelope.derived(id: MessageID.derived("rep", from: envelope.id), body: payload)
        guard let encoded = try? codec.encode(reply) else {
            counters.increment("replies.unencodable")
            return
        }
        post(.reply(requestId: envelope.id, envelope: encoded), to: from)
    }

    private func decode(_ data: Data, from: PeerAddress) -> Envelope? {
        do {
            return try codec.decode(data)
        } catch {
            counters.increment("frames.rejected.\(error.code)")
            logger.warning("rejected an envelope from \(from)", metadata: ["reason": "\(error)"])
            return nil
        }
    }
}
