/// What an envelope carries. The raw value is the `kind` field on the wire.
///
/// Each kind maps to exactly one payload type, so a decoder knows the body's shape from the
/// header alone and an unknown kind is a typed error rather than a guess.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    // Forward hops.
    case inboundMessage = "channel.inbound"
    case executionRequest = "execution.request"
    case outboundMessage = "channel.outbound"
    case directRunRequest = "execution.run"
    case directRunResult = "execution.run.result"
    // Request/reply with the trust layer.
    case maskRequest = "trust.mask"
    case maskResult = "trust.mask.result"
    case unmaskRequest = "trust.unmask"
    case unmaskResult = "trust.unmask.result"
    case safetyAssessRequest = "trust.assess"
    case safetyAssessment = "trust.assess.result"
    case principalGrantsQuery = "trust.grants"
    case principalGrants = "trust.grants.result"
    case approvalOpen = "trust.approvals.open"
    case approvalResult = "trust.approvals.result"
    case approvalStatusQuery = "trust.approvals.status"
    case approvalListQuery = "control.approvals.list"
    case approvalListResult = "control.approvals.list.result"
    case approvalDecision = "control.approvals.decide"
    case auditAppend = "trust.audit.append"
    case auditAppended = "trust.audit.append.result"
    case busRefusalReport = "trust.audit.refusal"
    // Request/reply with the provider gateway.
    case completionRequest = "gateway.complete"
    case completionResult = "gateway.complete.result"
    case completionDelta = "gateway.complete.delta"
    case moderationRequest = "gateway.moderate"
    case moderationResult = "gateway.moderate.result"
    // Request/reply with the tool executor.
    case recordGetRequest = "tools.records.get"
    case recordGetResult = "tools.records.get.result"
    case toolCallRequest = "tools.call"
    case toolCallResult = "tools.call.result"
    // Control plane used by the CLI and by tests.
    case healthQuery = "control.health"
    case healthResult = "control.health.result"
    case traceQuery = "control.trace"
    case traceResult = "control.trace.result"
    case sessionListQuery = "control.sessions.list"
    case sessionListResult = "control.sessions.list.result"
    case sessionShowQuery = "control.sessions.show"
    case sessionShowResult = "control.sessions.show.result"
    case providerLogQuery = "control.provider.log"
    case providerLogResult = "control.provider.log.result"
    case usageQuery = "control.usage"
    case usageReport = "control.usage.result"
    case auditVerifyQuery = "control.audit.verify"
    case auditVerification = "control.audit.verify.result"
    case auditListQuery = "control.audit.list"
    case auditListResult = "control.audit.list.result"
    case sessionCloseRequest = "control.sessions.close"
    case sessionCloseResult = "control.sessions.close.result"
    case draftListQuery = "control.drafts.list"
    case draftListResult = "control.drafts.list.result"
    case draftDecision = "control.drafts.decide"
    case draftDecisionResult = "control.drafts.decide.result"
    case executionEventsQuery = "control.execution.events"
    case executionEventsResult = "control.execution.events.result"
    case executionReplyQuery = "control.execution.reply"
    case executionReplyResult = "control.execution.reply.result"
    case executionCancelRequest = "control.execution.cancel"
    case executionCancelResult = "control.execution.cancel.result"
    case presenceAnnouncement = "control.presence"
    case presenceAcknowledged = "control.presence.result"
    // A request that could not be served.
    case failure = "failure"

    /// The Swift type of this kind's body: what the envelope decoder reads it as.
    public var payloadType: any MessagePayload.Type {
        switch self {
        case .inboundMessage: InboundMessage.self
        case .executionRequest: ExecutionRequest.self
        case .outboundMessage: OutboundMessage.self
        case .directRunRequest: DirectRunRequest.self
        case .directRunResult: DirectRunResult.self
        case .maskRequest: MaskRequest.self
        case .maskResult: MaskResult.self
        case .unmaskRequest: UnmaskRequest.self
        case .unmaskResult: UnmaskResult.self
        case .safetyAssessRequest: SafetyAssessRequest.self
        case .safetyAssessment: SafetyAssessment.self
        case .principalGrantsQuery: PrincipalGrantsQuery.self
        case .principalGrants: PrincipalGrants.self
        case .approvalOpen: ApprovalOpenRequest.self
        case .approvalResult: ApprovalResult.self
        case .approvalStatusQuery: ApprovalStatusQuery.self
        case .approvalListQuery: ApprovalListQuery.self
        case .approvalListResult: ApprovalListResult.self
        case .approvalDecision: ApprovalDecisionRequest.self
        case .auditAppend: AuditAppend.self
        case .auditAppended: AuditAppended.self
        case .busRefusalReport: BusRefusalReport.self
        case .completionRequest: CompletionRequest.self
        case .completionResult: CompletionResult.self
        case .completionDelta: CompletionDelta.self
        case .moderationRequest: ModerationRequest.self
        case .moderationResult: ModerationResult.self
        case .recordGetRequest: RecordGetRequest.self
        case .recordGetResult: RecordGetResult.self
        case .toolCallRequest: ToolCallRequest.self
        case .toolCallResult: ToolCallResult.self
        case .healthQuery: HealthQuery.self
        case .healthResult: HealthResult.self
        case .traceQuery: TraceQuery.self
        case .traceResult: TraceResult.self
        case .sessionListQuery: SessionListQuery.self
        case .sessionListResult: SessionListResult.self
        case .sessionShowQuery: SessionShowQuery.self
        case .sessionShowResult: SessionShowResult.self
        case .providerLogQuery: ProviderLogQuery.self
        case .providerLogResult: ProviderLogResult.self
        case .usageQuery: UsageQuery.self
        case .usageReport: UsageReport.self
        case .auditVerifyQuery: AuditVerifyQuery.self
        case .auditVerification: AuditVerification.self
        case .auditListQuery: AuditListQuery.self
        case .auditListResult: AuditListResult.self
        case .sessionCloseRequest: SessionCloseRequest.self
        case .sessionCloseResult: SessionCloseResult.self
        case .draftListQuery: DraftListQuery.self
        case .draftListResult: DraftListResult.self
        case .draftDecision: DraftDecision.self
        case .draftDecisionResult: DraftDecisionResult.self
        case .executionEventsQuery: ExecutionEventsQuery.self
        case .executionEventsResult: ExecutionEventsResult.self
        case .executionReplyQuery: ExecutionReplyQuery.self
        case .executionReplyResult: ExecutionReplyResult.self
        case .executionCancelRequest: ExecutionCancelRequest.self
        case .executionCancelResult: ExecutionCancelResult.self
        case .presenceAnnouncement: PresenceAnnouncement.self
        case .presenceAcknowledged: PresenceAcknowledged.self
        case .failure: Failure.self
        }
    }
}

/// A typed envelope body. Every payload type declares the one kind it travels as.
public protocol MessagePayload: Codable, Sendable {
    static var kind: MessageKind { get }
}
