/// Which role may send which kind to which service: the bus's whole authorization policy in
/// one table. A frame is served only when its sender's authenticated role appears here for
/// the kind and the receiving service; everything else is refused, counted and audited.
///
/// Replies (`*.result`, `failure`) are not listed: a reply is accepted only from the address
/// the request went to, which `BusNode` checks against the waiting call.
extension MessageKind {
    /// The roles that may send this kind to a service of role `receiver`; empty when none may.
    public func permittedSenders(to receiver: BusRole) -> Set<BusRole> {
        Self.senders[self]?[receiver] ?? []
    }

    public func permits(_ sender: BusRole, to receiver: BusRole) -> Bool {
        permittedSenders(to: receiver).contains(sender)
    }

    /// Every role that may send anything to a service of role `receiver`: who its listener
    /// admits at all.
    public static func senders(to receiver: BusRole) -> Set<BusRole> { admitted[receiver] ?? [] }

    private static let admitted: [BusRole: Set<BusRole>] = {
        var admitted: [BusRole: Set<BusRole>] = [:]
        for receivers in senders.values {
            for (receiver, roles) in receivers { admitted[receiver, default: []].formUnion(roles) }
        }
        return admitted
    }()

    /// Kind → receiving role → sending roles.
    private static let senders: [MessageKind: [BusRole: Set<BusRole>]] = {
        var table: [MessageKind: [BusRole: Set<BusRole>]] = [:]
        func allow(_ kinds: [MessageKind], to receiver: BusRole, from senders: Set<BusRole>) {
            for kind in kinds { table[kind, default: [:]][receiver, default: []].formUnion(senders) }
        }
        // The forward path: only the previous hop delivers.
        allow([.inboundMessage, .presenceAnnouncement], to: .router, from: [.ingress])
        allow([.executionRequest], to: .orchestrator, from: [.router])
        allow([.outboundMessage], to: .router, from: [.orchestrator])
        allow([.outboundMessage], to: .ingress, from: [.router])
        allow([.directRunRequest], to: .orchestrator, from: [.ingress])
        allow([.completionDelta], to: .orchestrator, from: [.gateway])
        // Calls only the orchestrator makes, for the execution it drives.
        allow(
            [
                .maskRequest, .unmaskRequest, .safetyAssessRequest, .principalGrantsQuery, .approvalOpen,
                .approvalStatusQuery, .auditAppend,
            ],
            to: .trust, from: [.orchestrator])
        // `loom bench pii` masks and unmasks as an operator; trust confines it to `bench-` scopes.
        allow([.maskRequest, .unmaskRequest], to: .trust, from: [.operator])
        allow([.completionRequest, .moderationRequest], to: .gateway, from: [.orchestrator])
        allow([.recordGetRequest, .toolCallRequest], to: .tools, from: [.orchestrator])
        // Any service reports what it refused; trust records the report under the sender's identity.
        allow([.busRefusalReport], to: .trust, from: Set(BusRole.services))
        // The control plane: operators, and the ingress forwarding an HTTP caller its own
        // bearer-token check has already admitted.
        let forwarded: [(MessageKind, BusRole)] = [
            (.sessionCloseRequest, .router), (.draftListQuery, .router), (.draftDecision, .router),
            (.executionCancelRequest, .orchestrator), (.executionEventsQuery, .orchestrator),
            (.executionReplyQuery, .router),
            (.approvalListQuery, .trust), (.approvalDecision, .trust),
        ]
        for (kind, receiver) in forwarded { allow([kind], to: receiver, from: [.operator, .ingress]) }
        let operatorOnly: [(MessageKind, [BusRole])] = [
            (.traceQuery, [.orchestrator]), (.sessionListQuery, [.router]), (.sessionShowQuery, [.router]),
            (.providerLogQuery, [.gateway]), (.usageQuery, [.gateway]), (.auditVerifyQuery, [.trust]),
            (.auditListQuery, [.trust]),
        ]
        for (kind, receivers) in operatorOnly {
            for receiver in receivers { allow([kind], to: receiver, from: [.operator]) }
        }
        // Health answers with counters; supervisors (operators) ask it.
        for receiver in BusRole.services { allow([.healthQuery], to: receiver, from: [.operator]) }
        return table
    }()
}
