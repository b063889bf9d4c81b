import Foundation
import LoomContract

/// Who may say what to this node: the identity behind each frame, the routing id it may use,
/// the authorization table, and the audit reports of what was refused.
extension BusNode {
    /// The frames of a listener message with the sender's address and authenticated identity,
    /// or nil when the frame must be dropped: no routing id, no identity on a CURVE listener,
    /// or a routing id that belongs to another member.
    func admitListenerMessage(_ message: ReceivedMessage) -> (ArraySlice<Data>, PeerAddress, BusIdentity?)? {
        guard let routingFrame = message.frames.first, message.frames.count > 1 else {
            counters.increment("frames.rejected.routing")
            return nil
        }
        let routingId = String(decoding: routingFrame, as: UTF8.self)
        let frames = message.frames.dropFirst()
        guard engine.security.isAuthenticated else { return (frames, .client(routingId), nil) }
        guard let userId = message.userId, let identity = BusIdentity(userId: userId) else {
            engine.refusals.refuse(
                peer: "client:\(routingId.prefix(64))", counted: "unauthenticated", kind: "frame",
                reason: "unauthenticated")
            return nil
        }
        guard identity.owns(routingId: routingId) else {
            engine.refusals.refuse(
                peer: "\(identity.userId) as '\(routingId.prefix(64))'", counted: identity.userId, kind: "frame",
                reason: "routing_id_mismatch")
            return nil
        }
        return (frames, .client(routingId), identity)
    }

    /// Whether the sender's role may send this kind to this service; a refusal is counted and
    /// reported. Insecure nodes permit everything: nobody is authenticated there.
    func permits(_ envelope: Envelope, from: PeerAddress, identity: BusIdentity?) -> Bool {
        let security = engine.security
        guard security.isAuthenticated else { return true }
        if let identity, envelope.kind.permits(identity.role, to: security.identity.role) { return true }
        engine.refusals.refuse(
            peer: identity?.userId ?? from.description, counted: identity?.userId ?? "unauthenticated",
            kind: envelope.kind.rawValue, reason: "forbidden")
        return false
    }

    /// The authenticated identity behind an address this node heard from: the roster entry of
    /// a link's server key, or the member that owns a client's routing id (admission checked
    /// that it does). Nil on an insecure bus.
    public func identity(of address: PeerAddress) -> BusIdentity? {
        switch address {
        case .peer(let name):
            return linkIdentities[name]
        case .client(let routingId):
            guard let roster = engine.security.rosterStore?.roster else { return nil }
            let instance = routingId.split(separator: ".", maxSplits: 1).first.map(String.init) ?? routingId
            guard let member = roster.members.values.first(where: { $0.instance == instance }),
                member.owns(routingId: routingId)
            else {
                return nil
            }
            return member
        }
    }

    static func forbidden(_ envelope: Envelope) -> String {
        "this peer may not send \(envelope.kind.rawValue) here"
    }

    /// Sends refusal reports to `sink` instead of the trust service (the trust service itself
    /// records them in its own audit log).
    public func reportRefusals(to sink: @escaping @Sendable (BusRefusalReport) async -> Void) {
        refusalSink.withLock { $0 = sink }
    }

    func startReportingRefusals() {
        engine.refusals.onRefusal { [weak self] refusal in self?.note(refusal) }
    }

    private func note(_ refusal: BusRefusal) {
        guard let count = refusalThrottle.withLock({ $0.admit(refusal, at: .now) }) else { return }
        logger.warning(
            "refused \(refusal.kind) from \(refusal.peer)",
            metadata: ["reason": "\(refusal.reason)", "count": "\(count)"])
        let report = BusRefusalReport(
            peer: refusal.peer, refusedKind: refusal.kind, reason: refusal.reason, count: count)
        Task { await self.deliver(report) }
    }

    private func deliver(_ report: BusRefusalReport) async {
        if let sink = refusalSink.withLock({ $0 }) {
            await sink(report)
            return
        }
        guard hasLink(to: "trust") else { return }
        do {
            _ = try await call(
                report, to: .peer("trust"), expecting: AuditAppended.self, timeout: .seconds(2), attempts: 2)
        } catch {
            counters.increment("refusals.unreported")
            logger.warning("could not report a bus refusal to the audit log", metadata: ["error": "\(error)"])
        }
    }
}
