import ArgumentParser
import Foundation
import LoomConfig

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the metadata files.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a metadata directory the way the services do at start-up.")

        @Argument(help: "The metadata directory.")
        var directory: String = "compose"

        func run() throws {
            let url = URL(fileURLWithPath: directory, isDirectory: true)
            do {
                let metadata = try LoomMetadata.load(directory: url)
                let layout = try SuiteLayout.load(directory: url, environment: [:])
                let environment = ProcessInfo.processInfo.environment
                for secret in SecretCheck.unresolved(metadata, layout: layout, environment: environment) {
                    FileHandle.standardError.write(Data("warning: \(directory)/\(secret)\n".utf8))
                }
                print(
                    "\(directory): ok — \(metadata.agents.count) agent(s), \(metadata.providers.count) provider(s), "
                        + "\(metadata.endpoints.count) endpoint(s), \(metadata.routes.count) route(s)")
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
