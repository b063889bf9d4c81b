import Foundation
import LoomContract

/// The calls a node makes and waits for: a delivery awaiting its custody outcome, and a
/// request awaiting its reply.
extension BusNode {
    /// Delivers and waits for the custody outcome, resending the same envelope on silence
    /// (Lazy Pirate over DEALER). Used where the sender keeps no outbox: the ingress, whose
    /// caller retries if this gives up.
    public func deliverAwaitingAck(_ envelope: Envelope, to address: PeerAddress, timeout: Duration, attempts: Int) async throws -> HopAck {
        let data = try codec.encode(envelope)
        let result = try await exchange(
            key: "ack:\(envelope.id)", address: address, timeout: timeout, attempts: attempts, frame: .deliver(data)
        ) {
            await self.send(.deliver(data), to: address)
        }
        guard case .ack(let ack) = result else { throw BusError.protocolViolation("expected ACK") }
        return ack
    }

    /// Calls a service and returns its reply envelope. Each retry resends the same request id;
    /// the callee answers a repeat from its reply cache instead of acting twice.
    public func request(_ envelope: Envelope, to address: PeerAddress, timeout: Duration, attempts: Int) async throws -> Envelope {
        let data = try codec.encode(envelope)
        let result = try await exchange(
            key: "reply:\(envelope.id)", address: address, timeout: timeout, attempts: attempts, frame: .request(data)
        ) {
            await self.send(.request(data), to: address)
        }
        guard case .reply(let reply) = result else { throw BusError.protocolViolation("expected REPLY") }
        return try codec.decode(reply)
    }

    /// Calls a service and returns the typed reply, throwing the callee's ``Failure`` if it sent one.
    public func call<Reply: MessagePayload>(
        _ payload: any MessagePayload, to address: PeerAddress, expecting: Reply.Type, requestId: String = MessageID.random("req"),
        correlation: Correlation = Correlation(), traceparent: String? = nil, timeout: Duration = .seconds(5), attempts: Int = 3
    ) async throws -> Reply {
        let envelope = Envelope(
            id: requestId, correlation: correlation, traceparent: traceparent ?? TraceParent.random().description,
            deadline: Date().addingTimeInterval(timeout.seconds * Double(attempts)), body: payload)
        let reply = try await request(envelope, to: address, timeout: timeout, attempts: attempts)
        if let failure = reply.payload(Failure.self) { throw failure }
        guard let typed = reply.payload(Reply.self) else {
            throw BusError.protocolViolation("expected \(Reply.kind.rawValue), got \(reply.kind.rawValue)")
        }
        return typed
    }
}
