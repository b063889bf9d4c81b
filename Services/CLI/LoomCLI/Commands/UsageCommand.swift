import ArgumentParser
import Foundation
import LoomContract

struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Model calls, tokens and cost per agent and provider over a period, from the gateway's ledger.")

    @OptionGroup var suite: SuiteOptions
    @Option(help: "How far back: a number with s, m, h or d (e.g. 90m, 24h, 7d).") var since = "24h"
    @Option(help: "Only this agent.") var agent: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        guard let seconds = Self.seconds(since) else {
            throw ValidationError("--since takes a number followed by s, m, h or d, e.g. 24h")
        }
        let report = try await ControlClient.call(
            UsageQuery(since: Date().addingTimeInterval(-seconds), agent: agent), service: "gateway", layout: try suite.layout(),
            expecting: UsageReport.self)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(Self.table(report))
    }

    static func table(_ report: UsageReport) -> String {
        let header = ["AGENT", "PROVIDER", "CALLS", "FAILED", "TOKENS IN", "TOKENS OUT", "COST USD"]
        var rows = report.rows.map { row in
            [row.agent, row.provider, "\(row.calls)", "\(row.failures)", "\(row.inputTokens)", "\(row.outputTokens)",
             row.cost.map { String(format: "%.6f", $0) } ?? "-"]
        }
        let totalCost = report.rows.compactMap(\.cost).reduce(0, +)
        rows.append([
            "total", "", "\(report.rows.map(\.calls).reduce(0, +))", "\(report.rows.map(\.failures).reduce(0, +))",
            "\(report.rows.map(\.inputTokens).reduce(0, +))", "\(report.rows.map(\.outputTokens).reduce(0, +))", String(format: "%.6f", totalCost),
        ])
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index < 2 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let period = "from \(report.since.formatted(.iso8601)) to \(report.until.formatted(.iso8601))"
        return ([period] + lines).joined(separator: "\n")
    }

    /// `90m` → 5400.
    static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let value = Double(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        default: return nil
        }
    }
}
