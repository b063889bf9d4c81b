import ArgumentParser
import Foundation

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Chat with an agent in the terminal. Type /quit to leave, /new for a new session.")

    @OptionGroup var suite: SuiteOptions
    @OptionGroup var auth: TokenOptions
    @Option(help: "The agent to talk to.") var agent: String
    @Option(name: .customLong("session-key"), help: "Resume the conversation with this key.") var sessionKey: String?

    func run() async throws {
        let url = try suite.ingressURL().appendingPathComponent("v1/messages")
        let headers = auth.headers(suite)
        let health = url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("health")
        guard (try? await HTTPClient.get(health, timeout: 3))?.status == 200 else {
            let advice = "Is it running? Start it with `loom up`, or point at it with --url, --data-dir or --config."
            FileHandle.standardError.write(
                Data("loom chat: no suite answers at \(health.deletingLastPathComponent()). \(advice)\n".utf8))
            throw ExitCode(1)
        }
        var key = sessionKey ?? "chat-\(UUID().uuidString.prefix(8).lowercased())"
        // One unbuffered path for prompts and replies, so piped output keeps their order; the
        // prompt only when a person types.
        let interactive = isatty(STDIN_FILENO) == 1
        func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        say("Talking to '\(agent)' (session key \(key)). /quit to leave, /new for a new session.")
        while true {
            if interactive { FileHandle.standardOutput.write(Data("you> ".utf8)) }
            guard let line = readLine() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "/quit" || text == "/exit" { break }
            if text == "/new" {
                key = "chat-\(UUID().uuidString.prefix(8).lowercased())"
                say("(new session key \(key))")
                continue
            }
            do {
                let response = try await HTTPClient.postJSON(
                    url, ["agent": agent, "text": text, "sessionKey": key], headers: headers)
                let json = response.json ?? [:]
                if response.status == 200, let reply = json["reply"] as? String {
                    say("\(agent)> \(reply)")
                    if let execution = json["executionId"] as? String { say("        (execution \(execution))") }
                } else if response.status == 202 {
                    say("(still working; execution \(json["executionId"] as? String ?? "?"))")
                } else {
                    say("error \(response.status): \(json["detail"] as? String ?? response.text)")
                }
            } catch {
                say("cannot reach the ingress at \(url): \(error.localizedDescription)")
            }
        }
    }
}
