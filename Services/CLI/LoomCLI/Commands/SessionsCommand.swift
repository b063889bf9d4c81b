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
            print(SessionText.list(result.sessions))
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
            print(SessionText.show(session, result.messages))
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
