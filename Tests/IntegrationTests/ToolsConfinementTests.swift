import Foundation
import Testing

extension IntegrationSuites {
    /// `loom up` started as root gives the tools service a user of its own: not root, no
    /// capabilities, `no_new_privs`, its own folder and key, none of the other services' files,
    /// and tools still work through it (a record read and a sandboxed command).
    @Suite struct ToolsConfinementTests {
        /// Whether another user can reach the built binaries (a checkout under `/root` cannot be,
        /// and `loom up` then says so and keeps tools under its own user).
        static var binariesReachable: Bool {
            var path = ""
            for component in SuiteHarness.binary("loom-tools").path.split(separator: "/") {
                path += "/" + component
                var status = stat()
                guard stat(path, &status) == 0, status.st_mode & S_IXOTH != 0 else { return false }
            }
            return true
        }

        @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
            && binariesReachable))
        func loomUpRunsToolsAsAnUnprivilegedUserThatStillServesTools() async throws {
            let up = try await LoomUpSuite(config: SuiteHarness.packageRoot.appendingPathComponent("compose"))
            defer { up.stop() }
            #expect(up.output.contains("tools runs as loom-tools"), "\(up.output)")
            let pid = try #require(up.services["loom-tools"])
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            func field(_ name: String) -> String? {
                status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                    .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
            }
            let uids = field("Uid")?.split(separator: "\t").compactMap { Int($0) } ?? []
            #expect(uids.count == 4 && !uids.contains(0), "\(status)")
            #expect(field("NoNewPrivs") == "1" && field("CapEff") == "0000000000000000", "\(status)")
            #expect(field("CapBnd") == "0000000000000000" && field("Groups")?.isEmpty == true, "\(status)")

            // What the tools user can and cannot open, tried as that user.
            let uid = try #require(uids.first)
            let own = up.data.appendingPathComponent("tools/tools.sqlite").path
            #expect(try Self.canRead(own, asUser: uid), "its own database")
            for other in ["trust/trust-vault.key", "router/router.sqlite", "keys/router.key", "operator.token"] {
                let path = up.data.appendingPathComponent(other).path
                #expect(FileManager.default.fileExists(atPath: path), "\(other) should exist")
                #expect(try !Self.canRead(path, asUser: uid), "\(other) must stay out of reach")
            }

            let status1 = try await up.send(#"{"agent": "support", "text": "What is the status of case C-1001?"}"#)
            #expect((status1["reply"] as? String)?.contains("C-1001") == true, "\(status1)")
            let quote = try await up.send(#"{"agent": "support", "text": "What does shipping to FR cost?"}"#)
            #expect(quote["reply"] as? String == "Shipping 2 kg to FR: 7.7 EUR, about 3 days.", "\(quote)")
        }

        static func canRead(_ path: String, asUser uid: Int) throws -> Bool {
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            reader.arguments = ["--reuid", "\(uid)", "--regid", "\(uid)", "--clear-groups", "--", "/bin/cat", path]
            reader.standardOutput = FileHandle.nullDevice
            reader.standardError = FileHandle.nullDevice
            try reader.run()
            reader.waitUntilExit()
            return reader.terminationStatus == 0
        }
    }
}
