import ArgumentParser
import Foundation
import LoomContract

struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "List, show and close sessions, through the running router.",
        subcommands: [List.self, Show.self, Close.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent sessions.")
        @OptionGroup var suite: SuiteOptions
        @Option(help: "How many sessions to list.") var limit = 20

        func run() async throws {
            let result = try await ControlClient.call(
                SessionListQuery(limit: limit), service: "router", layout: try suite.layout(), expecting: SessionListResult.self)
            for session in result.sessions {
                print(
                    "\(session.id)  \(session.status.rawValue)  \(session.agent)  \(session.channel.rawValue)/\(session.endpoint)  "
                        + "turns \(session.turnCount)  last \(session.lastActivityAt.formatted(.iso8601))"
                        + (session.rolloverReason.map { "  rolled over: \($0.rawValue)" } ?? ""))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one session and its messages.")
        @OptionGroup var suite: SuiteOptions
        @Argument(help: "The session id.") var sessionId: String

        func run() async throws {
            let result = try await ControlClient.call(
                SessionShowQuery(sessionId: sessionId), service: "router", layout: try suite.layout(), expecting: SessionShowResult.self)
            guard let session = result.session else {
                FileHandle.standardError.write(Data("no session \(sessionId)\n".utf8))
                throw ExitCode(1)
            }
            print("session \(session.id)  \(session.status.rawValue)  agent \(session.agent)  key \(session.continuityKey)  turns \(session.turnCount)")
            for message in result.messages {
                let arrow = message.direction == .inbound ? "→" : "←"
                let detail = message.deliveryDetail.map { " (\($0))" } ?? ""
                print("  \(arrow) [\(message.deliveryStatus.rawValue)\(detail)] \(message.sender): \(message.body)")
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a session; the next message on its thread opens a new one.")
        @OptionGroup var suite: SuiteOptions
        @Argument(help: "The session id.") var sessionId: String

        func run() async throws {
            let result = try await ControlClient.call(
                SessionCloseRequest(sessionId: sessionId), service: "router", layout: try suite.layout(), expecting: SessionCloseResult.self)
            print(result.changed ? "closed \(result.session.id)" : "\(result.session.id) was already closed")
        }
    }
}
