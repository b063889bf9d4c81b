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

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a call; its execution resumes.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var approver: Approver
        @Argument(help: "The approval id.") var id: String
        @Option(help: "Why, for the record.") var reason: String?
        @Option(help: "Who decides, for the record.") var actor: String?

        func run() async throws {
            try await ApprovalsCommand.decide(suite: suite, token: try approver.required(), id: id, approve: true, reason: reason, actor: actor)
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a call; the model is told.")
        @OptionGroup var suite: SuiteOptions
        @OptionGroup var approver: Approver
        @Argument(help: "The approval id.") var id: String
        @Option(help: "Why; the model and the record see it.") var reason: String?
        @Option(help: "Who decides, for the record.") var actor: String?

        func run() async throws {
            try await ApprovalsCommand.decide(suite: suite, token: try approver.required(), id: id, approve: false, reason: reason, actor: actor)
        }
    }

    static func decide(suite: SuiteOptions, token: String, id: String, approve: Bool, reason: String?, actor: String?) async throws {
        do {
            let result = try await ControlClient.call(
                ApprovalDecisionRequest(id: id, approve: approve, token: token, actor: actor, reason: reason), service: "trust",
                layout: try suite.layout(), expecting: ApprovalResult.self)
            print("\(result.approval.id) \(result.approval.status.rawValue) by \(result.approval.decidedBy ?? "-")")
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("\(failure.code): \(failure.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}
