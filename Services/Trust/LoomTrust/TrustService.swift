import Foundation
import LoomBus
import LoomConfig
import LoomContract
import LoomServiceRuntime
import ServiceLifecycle

/// Assembles the trust process: its sealed vault, its audit log, and a bus node answering
/// mask, unmask and audit calls.
public enum TrustService {
    public static func assemble(_ environment: ServiceEnvironment, _ engine: BusEngine) async throws -> [any Service] {
        let cipher = try VaultCipher.load(
            reference: environment.metadata.trust.vaultKey, dataDirectory: environment.dataDirectory, logger: environment.logger)
        let vault = try TokenVault.open(directory: environment.dataDirectory, cipher: cipher)
        let node = try await BusNode.start(
            engine: engine, instance: environment.instance, listen: environment.layout.endpoint(of: "trust"), peers: [:],
            logger: environment.logger)
        // The validator compiled these already; one that fails here is left out rather than fatal.
        let custom = environment.metadata.trust.piiPatterns.compactMap { pattern in
            (try? NSRegularExpression(pattern: pattern.pattern)).map { PIIDetector.Custom(kind: pattern.name, pattern: $0) }
        }
        let masker = Masker(vault: vault, custom: custom)
        let principals = PrincipalResolver(policy: environment.metadata.trust.access)
        let approvals = ApprovalStore(
            store: vault.store, policy: environment.metadata.trust.approvals, environment: ProcessInfo.processInfo.environment)
        let replies = ReplyDeduplicator(database: vault.store)
        // Refusals of this process's own bus go straight into its audit log.
        node.reportRefusals { report in
            do {
                try await Self.record(report, reporter: node.instance, vault: vault)
            } catch {
                environment.logger.error("could not audit a bus refusal", metadata: ["error": "\(error)"])
            }
        }
        let authenticated = engine.security.isAuthenticated
        let refusalReports = RefusalReports()
        let handlers = BusHandlers(request: { envelope, from in
            switch envelope.body {
            case is HealthQuery:
                return HealthResult(service: "trust", instance: node.instance, counters: node.counters.snapshot())
            case let request as MaskRequest:
                if let refusal = ScopeBinding.refusal(scope: request.scope, envelope, caller: node.identity(of: from), authenticated: authenticated) { return refusal }
                return await replies.serve(envelope, from: from, recording: { await Self.answer(masker, request) })
            case let request as UnmaskRequest:
                if let refusal = ScopeBinding.refusal(scope: request.scope, envelope, caller: node.identity(of: from), authenticated: authenticated) { return refusal }
                return await Self.run { try await masker.unmask(request) }
            case let report as BusRefusalReport:
                // Not through the reply cache: a report's id must never shadow a real call's.
                guard RefusalReports.isWellFormed(report) else {
                    return Failure(code: "invalid_report", message: "not a kind and reason the bus refuses")
                }
                guard let admitted = refusalReports.admit(report, reporter: from.name) else {
                    return AuditAppended(sequence: 0, hash: "")
                }
                return await Self.run { try await Self.record(admitted, reporter: from.name, vault: vault) }
            case let request as SafetyAssessRequest:
                let assessment = PromptSafetyDetector().assess(request.text)
                return SafetyAssessment(
                    score: assessment.score, unsafe: assessment.score >= PromptSafetyDetector.threshold, categories: assessment.categories,
                    findings: assessment.findings.map(\.note))
            case let request as ApprovalOpenRequest:
                return await Self.run { ApprovalResult(approval: try await approvals.open(request)) }
            case let query as ApprovalStatusQuery:
                return await Self.run { ApprovalListResult(approvals: try await approvals.records(ids: query.ids)) }
            case let query as ApprovalListQuery:
                return await Self.run {
                    ApprovalListResult(approvals: try await approvals.list(status: query.status, limit: min(max(query.limit, 1), 1000), token: query.token))
                }
            case let request as ApprovalDecisionRequest:
                return await Self.run { ApprovalResult(approval: try await approvals.decide(request)) }
            case let query as PrincipalGrantsQuery:
                return principals.grants(query)
            case let request as AuditAppend:
                return await replies.serve(envelope, from: from) {
                    await Self.run {
                        let entry = try await vault.store.write { db in
                            try AuditLog.append(
                                db, category: request.category, executionId: request.executionId, subject: request.subject, detail: request.detail)
                        }
                        return AuditAppended(sequence: entry.sequence, hash: entry.hash)
                    }
                }
            case is AuditVerifyQuery:
                return await Self.run { try await vault.store.read { db in try AuditLog.verify(db) } }
            case let query as AuditListQuery:
                return await Self.run {
                    AuditListResult(entries: try await vault.store.read { db in
                        try AuditLog.entries(db, executionId: query.executionId, limit: min(max(query.limit, 1), 10_000))
                    })
                }
            default:
                return Failure(code: "unsupported_request", message: "the trust service does not answer \(envelope.kind.rawValue)")
            }
        })
        environment.logger.info("listening on \(node.listenEndpoint ?? "-")")
        let retention = RetentionSweeper(
            database: vault.store, policy: environment.layout.retention, logger: environment.logger)
        return [NodeService(node: node, handlers: handlers), retention.service]
    }

    /// One audit entry for what a service's bus refused; the reporter is the authenticated
    /// instance that sent the report, never a name the report carries.
    @discardableResult
    static func record(_ report: BusRefusalReport, reporter: String, vault: TokenVault) async throws -> AuditAppended {
        let entry = try await vault.store.write { db in
            try AuditLog.append(
                db, category: "bus", executionId: nil, subject: "refused:\(report.refusedKind)",
                detail: ["reporter": reporter, "peer": report.peer, "reason": report.reason, "count": "\(report.count)"])
        }
        return AuditAppended(sequence: entry.sequence, hash: entry.hash)
    }

    /// A mask answer whose audit entry, when no token was new, commits with the stored reply.
    private static func answer(_ masker: Masker, _ request: MaskRequest) async -> ReplyDeduplicator.Answer {
        do {
            let prepared = try await masker.prepare(request)
            // A mask that found nothing gives the same answer when done again: nothing to commit.
            return ReplyDeduplicator.Answer(prepared.result, record: prepared.audit, storesReply: prepared.masked)
        } catch {
            return ReplyDeduplicator.Answer(Failure(code: "vault_unavailable", message: "\(error)", retryable: true))
        }
    }

    /// Refusals keep their code (the ingress maps approval refusals to 403/404/409); anything
    /// else means the store could not be used, which is worth retrying.
    private static func run(_ body: () async throws -> any MessagePayload) async -> any MessagePayload {
        do {
            return try await body()
        } catch let refusal as ApprovalStore.Refusal {
            return Failure(code: refusal.code, message: refusal.description)
        } catch {
            return Failure(code: "vault_unavailable", message: "\(error)", retryable: true)
        }
    }
}
