import ArgumentParser
import Foundation
import LoomConfig
import LoomTools

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the metadata files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a metadata directory the way the services do at start-up, and reach its MCP servers.")

        @Argument(help: "The metadata directory.")
        var directory: String = "compose"
        @Option(help: "Seconds to wait for each MCP server to start and list its tools.")
        var timeout: Double = 10
        @Flag(help: "Do not start or reach MCP servers; check the files only.")
        var offline = false

        func run() async throws {
            let url = URL(fileURLWithPath: directory, isDirectory: true)
            let metadata: LoomMetadata
            let layout: SuiteLayout
            do {
                metadata = try LoomMetadata.load(directory: url)
                layout = try SuiteLayout.load(directory: url, environment: [:])
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            for secret in SecretCheck.unresolved(metadata, layout: layout, environment: ProcessInfo.processInfo.environment) {
                FileHandle.standardError.write(Data("warning: \(directory)/\(secret)\n".utf8))
            }
            if !offline, !metadata.mcpServers.isEmpty {
                let issues = await McpCheck.issues(
                    metadata, configDirectory: url, layout: layout, timeout: timeout)
                if !issues.isEmpty {
                    for issue in issues {
                        FileHandle.standardError.write(Data("\(directory)/capabilities.yaml: \(issue)\n".utf8))
                    }
                    throw ExitCode(2)
                }
            }
            print(
                "\(directory): ok — \(metadata.agents.count) agent(s), \(metadata.providers.count) provider(s), "
                    + "\(metadata.endpoints.count) endpoint(s), \(metadata.routes.count) route(s), "
                    + "\(metadata.mcpServers.count) MCP server(s)")
        }
    }
}
