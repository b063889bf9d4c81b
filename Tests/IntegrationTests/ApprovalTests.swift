import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// Human in the loop through the running suite: confirmation in the conversation, approvals
    /// routed to approvers with tokens, rejection, expiry, both in a row, conditional approval,
    /// and restarts while an approval is pending.
    @Suite(.serialized) struct ApprovalTests {
        static let leads = "leads-token-0001"
        static let supervisors = "supervisor-token-0002"
        static let environment = ["LOOM_TEST_LEADS_TOKEN": leads, "LOOM_TEST_SUPERVISOR_TOKEN": supervisors]

        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
            let parameters = """
                    parameters:
                      type: object
                      additionalProperties: false
                      required: [recordId, fields]
                      properties:
                        recordId: { type: string }
                        fields: { type: object, properties: { status: { type: string, enum: [open, pending, solved] } } }
                """
            var capabilities = ""
            for (name, mode) in [
                ("close_confirmed", "confirmation"), ("close_approved", "approval"), ("close_both", "confirmationThenApproval"),
                ("close_maybe", "conditionalApproval"), ("close_expiring", "approval"),
            ] {
                capabilities += """
                      \(name):
                        description: Close a support case.
                        type: standard
                        backend: { action: update_record, objectTypes: [case], fields: [status] }
                        hitl: \(mode)
                    \(parameters)

                    """
            }
            try ProviderTests.append(to: directory.appendingPathComponent("capabilities.yaml"), capabilities)
            try ProviderTests.append(to: directory.appendingPathComponent("agents.yaml"), """
                  hitl:
                    provider: scripted
                    identity: You close cases when asked.
                    capabilities: [get_record, close_confirmed, close_approved, close_both, close_maybe, close_expiring]

                """)
            var rules = ""
            for (verb, tool, extra) in [
                ("confirm", "close_confirmed", ""), ("approve", "close_approved", ""), ("both", "close_both", ""),
                ("maybe", "close_maybe", ", _requiresApproval: true"), ("quick", "close_maybe", ""), ("expire", "close_expiring", ""),
            ] {
                rules += #"""
                          - when: "(?i)\#(verb)-close case ([A-Z]-\\d+)"
                            call: { tool: \#(tool), arguments: { recordId: "{{1}}", fields: { status: solved }\#(extra) } }
                            reply: "Result for {{1}}: {{tool.result.fields.status}}{{tool.code}} {{tool.error}}"

                    """#
            }
            let providers = directory.appendingPathComponent("providers.yaml")
            let text = try String(contentsOf: providers, encoding: .utf8)
            try text.replacingOccurrences(of: "    rules:\n", with: "    rules:\n" + rules).write(to: providers, atomically: true, encoding: .utf8)
            try ProviderTests.append(to: directory.appendingPathComponent("trust.yaml"), """
                  approvals:
                    expiresAfterSeconds: 600
                    approvers:
                      leads: { tokens: [env:LOOM_TEST_LEADS_TOKEN] }
                      supervisors: { tokens: [env:LOOM_TEST_SUPERVISOR_TOKEN] }
                    routes:
                      - { name: everyone, approvers: [leads] }
                      - { name: closures, capability: close_approved, approvers: [supervisors], priority: 10 }
                      - { name: closures-by-hitl, capability: close_approved, agent: hitl, approvers: [supervisors, leads], priority: 5 }
                      - { name: short, capability: close_expiring, approvers: [leads], expiresAfterSeconds: 2 }

                """)
            return directory
        }

        func start() async throws -> SuiteHarness {
            try await SuiteHarness(configDirectory: try Self.metadata(), extraEnvironment: Self.environment)
        }

        func trace(_ suite: SuiteHarness, _ executionId: String) async throws -> TraceResult {
            try await suite.control(TraceQuery(executionId: executionId), service: "orchestrator", expecting: TraceResult.self)
        }

        /// Starts a turn without waiting for its reply.
        func begin(_ suite: SuiteHarness, _ text: String, session: String) async throws -> String {
            let response = try await suite.send(["agent": "hitl", "text": text, "sessionKey": session], headers: ["Prefer": "respond-async"])
            return try #require(response.json["executionId"] as? String)
        }

        func waitFor(_ status: AgentExecution.Status, _ suite: SuiteHarness, _ executionId: String) async throws -> TraceResult {
            let deadline = ContinuousClock.now + .seconds(30)
            var last: TraceResult?
            while ContinuousClock.now < deadline {
                last = try await trace(suite, executionId)
                if last?.execution?.status == status { return try #require(last) }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw HarnessError("execution \(executionId) is \(last?.execution?.status.rawValue ?? "unknown"), not \(status.rawValue)")
        }

        func approvals(_ suite: SuiteHarness, token: String) async throws -> [[String: Any]] {
            let response = try await suite.http("GET", "/v1/approvals", headers: ["Authorization": "Bearer \(token)"])
            return response.json["approvals"] as? [[String: Any]] ?? []
        }

        func decide(_ suite: SuiteHarness, _ id: String, _ action: String, token: String, reason: String? = nil) async throws -> SuiteHarness.HTTPResponse {
            try await suite.http(
                "POST", "/v1/approvals/\(id)/\(action)", body: try JSONSerialization.data(withJSONObject: reason.map { ["reason": $0] } ?? [:]),
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
        }

        func sideEffects(_ suite: SuiteHarness) async throws -> Int {
            try await suite.control(HealthQuery(), service: "tools", expecting: HealthResult.self).counters["sideEffects.performed"] ?? 0
        }

        @Test func confirmationAsksInTheConversationAndOnlyAYesRunsTheCall() async throws {
            let suite = try await start()
            defer { suite.stop() }

            let asked = try await suite.send(["agent": "hitl", "text": "Please confirm-close case C-1001", "sessionKey": "cnf-1"])
            let question = try #require(asked.json["reply"] as? String)
            #expect(question.contains("close_confirmed") && question.contains("reply \"yes\" to go ahead"), "\(question)")
            #expect(try await sideEffects(suite) == 0)

            let yes = try await suite.send(["agent": "hitl", "text": "yes", "sessionKey": "cnf-1"])
            #expect(yes.json["reply"] as? String == "Result for C-1001: solved ")
            #expect(try await sideEffects(suite) == 1)
            let steps = try await trace(suite, try #require(yes.json["executionId"] as? String)).steps
            #expect(steps.contains { $0.type == .approvalDecided && $0.content == "confirmation of close_confirmed: yes" })

            // A no: the model gets a declined result and nothing changes.
            _ = try await suite.send(["agent": "hitl", "text": "Please confirm-close case C-1002", "sessionKey": "cnf-2"])
            let no = try await suite.send(["agent": "hitl", "text": "No", "sessionKey": "cnf-2"])
            #expect(no.json["reply"] as? String == "Result for C-1002: declined the user declined this action")
            #expect(try await sideEffects(suite) == 1)
        }

        @Test func approvalsAreRoutedNeedATokenSurviveRestartsAndResumeOnce() async throws {
            let suite = try await start()
            defer { suite.stop() }

            let execution = try await begin(suite, "approve-close case C-1002", session: "apv-1")
            var traced = try await waitFor(.awaitingApproval, suite, execution)
            #expect(traced.steps.contains { $0.type == .approvalRequested && $0.capability == "close_approved" })
            #expect(try await sideEffects(suite) == 0)

            // The highest-priority matching route sends it to supervisors only.
            #expect(try await approvals(suite, token: Self.leads).isEmpty)
            let pending = try await approvals(suite, token: Self.supervisors)
            let approval = try #require(pending.first)
            let id = try #require(approval["id"] as? String)
            #expect(approval["route"] as? String == "closures" && approval["capability"] as? String == "close_approved")
            #expect((approval["argumentsHash"] as? String)?.count == 64)
            #expect(((approval["arguments"] as? [String: Any])?["fields"] as? [String: Any])?["status"] as? String == "solved")
            #expect(try await decide(suite, id, "approve", token: Self.leads).status == 403)
            #expect(try await suite.http("POST", "/v1/approvals/\(id)/approve", headers: [:]).status == 401)

            // Every service restarts while it waits; the approval and the waiting execution survive.
            for service in ["trust", "orchestrator", "tools", "gateway"] {
                suite.kill(service)
                try await suite.start(service)
            }
            #expect(try await trace(suite, execution).execution?.status == .awaitingApproval)
            #expect(try await approvals(suite, token: Self.supervisors).map { $0["id"] as? String } == [id])

            // Approved through the CLI: the execution resumes where it stopped and the change runs once.
            var environment = suite.environment
            environment["LOOM_APPROVER_TOKEN"] = Self.supervisors
            let output = try await ProviderTests.loom(["approvals", "approve", id, "--reason", "checked"], suite: suite, environment: environment)
            #expect(output.contains("\(id) approved by supervisors"), "\(output)")
            traced = try await waitFor(.completed, suite, execution)
            #expect(traced.execution?.result == "Result for C-1002: solved ")
            #expect(try await sideEffects(suite) == 1)
            #expect(try await decide(suite, id, "reject", token: Self.supervisors).status == 409)

            // A rejection reaches the model with the reason.
            let rejected = try await begin(suite, "approve-close case C-1001", session: "apv-2")
            _ = try await waitFor(.awaitingApproval, suite, rejected)
            let second = try #require(try await approvals(suite, token: Self.supervisors).first?["id"] as? String)
            #expect(try await decide(suite, second, "reject", token: Self.supervisors, reason: "not without a refund check").status == 200)
            let rejectedTrace = try await waitFor(.completed, suite, rejected)
            #expect(rejectedTrace.execution?.result?.contains("approval_rejected") == true)
            #expect(rejectedTrace.execution?.result?.contains("not without a refund check") == true)
            #expect(try await sideEffects(suite) == 1)

            let audit = try await ProviderTests.loom(["audit", "list"], suite: suite)
            #expect(audit.contains("approval/requested:close_approved") && audit.contains("approval/approved:close_approved")
                && audit.contains("approval/rejected:close_approved"), "\(audit)")
            #expect(try await ProviderTests.loom(["audit", "verify"], suite: suite).contains("intact"))
        }

        @Test func expiryConfirmationThenApprovalAndConditionalApproval() async throws {
            let suite = try await start()
            defer { suite.stop() }

            // Nobody decides in time: the model is told.
            let expiring = try await begin(suite, "expire-close case C-1001", session: "exp-1")
            let expired = try await waitFor(.completed, suite, expiring)
            #expect(expired.execution?.result?.contains("approval_expired") == true)
            #expect(try await sideEffects(suite) == 0)

            // Confirmation first, then approval.
            let question = try await suite.send(["agent": "hitl", "text": "both-close case C-1001", "sessionKey": "both-1"])
            #expect((question.json["reply"] as? String)?.contains("reply \"yes\"") == true)
            let confirmed = try await begin(suite, "yes", session: "both-1")
            _ = try await waitFor(.awaitingApproval, suite, confirmed)
            let id = try #require(try await approvals(suite, token: Self.leads).first?["id"] as? String)
            #expect(try await decide(suite, id, "approve", token: Self.leads).status == 200)
            #expect(try await waitFor(.completed, suite, confirmed).execution?.result == "Result for C-1001: solved ")
            #expect(try await sideEffects(suite) == 1)

            // Conditional: the model asks for approval with the reserved argument, which never reaches the tool.
            let flagged = try await begin(suite, "maybe-close case C-1002", session: "cond-1")
            _ = try await waitFor(.awaitingApproval, suite, flagged)
            let conditional = try #require(try await approvals(suite, token: Self.leads).first)
            #expect((conditional["arguments"] as? [String: Any])?["_requiresApproval"] == nil)
            let log = try await suite.control(ProviderLogQuery(limit: 1), service: "gateway", expecting: ProviderLogResult.self)
            let offered = try #require(log.requests.last?.tools?.first { $0.name == "close_maybe" })
            #expect(offered.parameters.compactJSON.contains("_requiresApproval"))
            #expect(try await decide(suite, try #require(conditional["id"] as? String), "approve", token: Self.leads).status == 200)
            #expect(try await waitFor(.completed, suite, flagged).execution?.result == "Result for C-1002: solved ")
            // Without the flag the same capability runs at once.
            let quick = try await suite.send(["agent": "hitl", "text": "quick-close case C-1001", "sessionKey": "cond-2"])
            #expect(quick.json["reply"] as? String == "Result for C-1001: solved ")
        }
    }
}
