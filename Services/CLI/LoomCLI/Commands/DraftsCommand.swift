import ArgumentParser
import Foundation
import LoomContract

/// Replies held by a `draft` or `review` delivery policy.
struct DraftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts", abstract: "List held replies and send, approve or reject them.",
        subcommands: [List.self, Send.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List replies waiting to be sent or reviewed.")
        @OptionGroup var suite: SuiteOptions

        func run() async throws {
            let result = try await ControlClient.call(
                DraftListQuery(), service: "router", layout: try suite.layout(), expecting: DraftListResult.self)
            if result.drafts.isEmpty { print("no held replies") }
            for draft in result.drafts {
                print("\(draft.id)  \(draft.deliveryPolicy?.rawValue ?? "draft")  \(draft.channel.rawValue)  to \(draft.recipient)  session \(draft.sessionId)")
                print("    \(draft.body)")
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a draft now.")
        @OptionGroup var decision: DecisionOptions
        func run() async throws { try await decision.decide(.send) }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a reply under review; it is sent.")
        @OptionGroup var decision: DecisionOptions
        func run() async throws { try await decision.decide(.approve) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a held reply; it is never sent.")
        @OptionGroup var decision: DecisionOptions
        func run() async throws { try await decision.decide(.reject) }
    }

    struct DecisionOptions: ParsableArguments {
        @OptionGroup var suite: SuiteOptions
        @Argument(help: "The held message id.") var messageId: String
        @Option(help: "Who decides (recorded with the message).") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"

        func decide(_ action: DraftDecision.Action) async throws {
            let result = try await ControlClient.call(
                DraftDecision(messageId: messageId, action: action, actor: actor), service: "router", layout: try suite.layout(),
                expecting: DraftDecisionResult.self)
            print("\(result.message.id): \(result.message.deliveryStatus.rawValue) (\(result.message.deliveryDetail ?? ""))")
        }
    }
}
