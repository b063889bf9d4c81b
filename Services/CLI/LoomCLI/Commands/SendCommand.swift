import ArgumentParser
import Foundation

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send one message to an agent and print the reply.")

    @OptionGroup var suite: SuiteOptions
    @OptionGroup var auth: TokenOptions
    @Option(help: "The agent to talk to.") var agent: String
    @Option(name: .customLong("session-key"), help: "Continue the conversation with this key.") var sessionKey: String?
    @Argument(help: "The message text.") var text: String

    func run() async throws {
        let response = try await HTTPClient.postJSON(
            try suite.ingressURL().appendingPathComponent("v1/messages"),
            ["agent": agent, "text": text, "sessionKey": sessionKey ?? UUID().uuidString], headers: auth.headers(suite))
        print(response.text)
        if response.status >= 400 { throw ExitCode(1) }
    }
}
