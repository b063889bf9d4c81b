import ArgumentParser
import Foundation
import LoomContract

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read and verify the trust service's hash-chained audit log.", subcommands: [Verify.self, List.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry against the one before it; exits 1 naming the first edited, inserted or removed entry.")
        @OptionGroup var suite: SuiteOptions

        func run() async throws {
            let result = try await ControlClient.call(
                AuditVerifyQuery(), service: "trust", layout: try suite.layout(), expecting: AuditVerification.self)
            if result.valid {
                print("audit log intact: \(result.entries) entries, head \(result.headHash)")
                return
            }
            print("audit log BROKEN at entry \(result.brokenAt.map(String.init) ?? "?"): \(result.problem ?? "unknown problem")")
            print("entries before it verify; last good hash \(result.headHash)")
            throw ExitCode(1)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the latest entries, optionally of one execution.")
        @OptionGroup var suite: SuiteOptions
        @Option(help: "Only this execution's entries.") var execution: String?
        @Option(help: "How many entries.") var limit = 50

        func run() async throws {
            let result = try await ControlClient.call(
                AuditListQuery(executionId: execution, limit: limit), service: "trust", layout: try suite.layout(), expecting: AuditListResult.self)
            for entry in result.entries {
                let time = Date(timeIntervalSince1970: Double(entry.recordedAtMilliseconds) / 1000).formatted(.iso8601)
                let detail = entry.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                print("#\(entry.sequence) \(time) \(entry.category)/\(entry.subject)\(entry.executionId.map { " \($0)" } ?? "")  \(detail)")
            }
        }
    }
}
