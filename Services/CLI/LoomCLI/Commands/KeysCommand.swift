import ArgumentParser
import Foundation
import LoomBus
import LoomContract

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Bus keys: one CURVE key pair per service instance and operator, and the roster.",
        subcommands: [Initialize.self])

    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a key pair for each member that has none (secret keys mode 0600) "
                + "and the roster of public keys.",
            discussion: """
                Existing keys are kept, so running it again adds members without changing anyone's key. Distribute \
                `roster` to every host; each `<instance>.key` only to the process that runs as that instance.
                """)

        @Argument(help: "The key directory (created mode 0700).") var directory: String
        @Option(
            name: .customLong("member"),
            help: "An extra member as instance:role, e.g. ingress-2:ingress or alice:operator.")
        var members: [String] = []

        func run() throws {
            var wanted = BusKeyDirectory.suiteMembers
            for member in members {
                let parts = member.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let role = BusRole(rawValue: parts[1]) else {
                    let roles = BusRole.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--member expects instance:role with a role among \(roles); got '\(member)'")
                }
                wanted.append(BusIdentity(role: role, instance: parts[0]))
            }
            let keys = BusKeyDirectory(URL(fileURLWithPath: directory, isDirectory: true))
            do {
                let roster = try keys.initialize(members: wanted)
                print("\(keys.url.path): \(roster.members.count) member(s); roster at \(keys.rosterFile.path)")
            } catch {
                FileHandle.standardError.write(Data("loom keys init: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
