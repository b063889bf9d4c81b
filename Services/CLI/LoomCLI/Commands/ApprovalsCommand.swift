import ArgumentParser
import Foundation
import LoomContract

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals", abstract: "List and decide tool calls waiting for approval (needs an approver token).",
        subcommands: [List.self, Approve.self, Reject.self])

    struct Approver: ParsableArguments {
        @Option(help: "An approver token (default: LOOM_APPROVER_TOKEN).")
        var token: String?

        func required() throws -> String {
            guard let token = token ?? ProcessInfo.processInfo.environment["LOOM_APPROVER_TOKEN"], !token.isEmpty else {
                throw ValidationError("an approver token is required: --token or LOOM_APPROVER_TOKEN")
            }
            return token
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approvals routed to the token's groups.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var approver: Approver
        @Option(help: "pending, approved, rejected, expired or all.") var status = "pending"

        func run() async throws {
            let filter = status == "all" ? nil : ApprovalRecord.Status(rawValue: status)
            if status != "all", filter == nil { throw ValidationError("unknown status '\(status)'") }
            let result = try await ControlClient.call(
                ApprovalListQuery(status: filter, token: try approver.required()), service: "trust", layout: try suite.layout(),
                expecting: ApprovalListResult.self)
            for approval in result.approvals {
                let decided = approval.decidedBy.map { " by \($0)" } ?? ""
                print(
                    "\(approval.id)  \(approval.status.rawValue)\(decided)  \(approval.agent) → \(approval.capability) \(approval.arguments.compactJSON)"
                        + "  route \(approval.route)  expires \(approval.expiresAt.formatted(.iso8601))  execution \(approval.executionId)")
            }
        }
    }

    /// What an approve or reject names: the approval, why, and who.
    struct Decision: ParsableArguments {
        @Argument(help: "The approval id.") var id: String
        @Option(help: "Why, for the record; a rejection's reason also reaches the model.") var reason: String?
        @Option(help: "Who decides, for the record.") var actor: String?
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a call; its execution resumes.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var approver: Approver
        @OptionGroup var decision: Decision

        func run() async throws { try await ApprovalsCommand.decide(suite, approver, decision, approve: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a call; the model is told.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var approver: Approver
        @OptionGroup var decision: Decision

        func run() async throws { try await ApprovalsCommand.decide(suite, approver, decision, approve: false) }
    }

    static func decide(_ suite: SuiteOptions, _ approver: Approver, _ decision: Decision, approve: Bool) async throws {
        do {
            let result = try await ControlClient.call(
                ApprovalDecisionRequest(
                    id: decision.id, approve: approve, token: try approver.required(), actor: decision.actor, reason: decision.reason),
                service: "trust",
                layout: try suite.layout(), expecting: ApprovalResult.self)
            print("\(result.approval.id) \(result.approval.status.rawValue) by \(result.approval.decidedBy ?? "-")")
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("\(failure.code): \(failure.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
