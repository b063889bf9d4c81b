import Foundation
import LoomConfig
import LoomContract
import Testing

extension IntegrationSuites {
    /// Trust boundaries of the running suite: each process holds only the secrets it uses, each
    /// service's files are its own, and no personal data lies in the clear in any database.
    @Suite(.serialized) struct TrustBoundaryTests {
        static let vaultKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        static let secrets: [String: String] = [
            "OPENAI_API_KEY": "sk-test-openai", "ANTHROPIC_API_KEY": "sk-test-anthropic",
            "SLACK_SIGNING_SECRET": "slack-signing-test", "SLACK_BOT_TOKEN": "xoxb-test",
            "TWILIO_AUTH_TOKEN": "twilio-test",
            "LOOM_VAULT_KEY": vaultKey, "AWS_SECRET_ACCESS_KEY": "aws-test",
        ]
        /// Which process each secret may reach; none for a secret the suite does not use.
        static let owner: [String: String] = [
            "OPENAI_API_KEY": "gateway", "ANTHROPIC_API_KEY": "gateway", "SLACK_SIGNING_SECRET": "ingress",
            "SLACK_BOT_TOKEN": "ingress", "TWILIO_AUTH_TOKEN": "ingress", "LOOM_VAULT_KEY": "trust",
        ]

        /// The sample metadata with the vault key named, as production names it.
        static func metadata() throws -> URL {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("loom-meta-\(UUID().uuidString)")
            let sample = SuiteHarness.packageRoot.appendingPathComponent("compose")
            try FileManager.default.copyItem(at: sample, to: directory)
            let trust = directory.appendingPathComponent("trust.yaml")
            let text = try String(contentsOf: trust, encoding: .utf8)
            try text.replacingOccurrences(of: "trust:\n", with: "trust:\n  vaultKey: env:LOOM_VAULT_KEY\n")
                .write(to: trust, atomically: true, encoding: .utf8)
            return directory
        }

        static func environ(_ pid: Int32) throws -> [String: String] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
            var variables: [String: String] = [:]
            for entry in data.split(separator: 0) {
                let text = String(decoding: entry, as: UTF8.self)
                guard let equals = text.firstIndex(of: "=") else { continue }
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            return variables
        }

        static func mode(_ url: URL) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }

        @Test func eachProcessHoldsOnlyItsOwnSecretsAndNoDatabaseHoldsPersonalDataInTheClear() async throws {
            let suite = try await SuiteHarness(configDirectory: try Self.metadata(), extraEnvironment: Self.secrets)
            defer { suite.stop() }

            for service in SuiteHarness.services {
                let pid = try #require(suite.processIdentifier(of: service))
                let variables = try Self.environ(pid)
                for (name, value) in Self.secrets {
                    let mayHold = Self.owner[name] == service
                    #expect((variables[name] == value) == mayHold, "\(service) \(mayHold ? "lacks" : "holds") \(name)")
                }
                // Nothing beyond the base and the service's own secrets.
                let own = ProcessEnvironment.secretVariables(suite.metadata, layout: suite.layout)[service] ?? []
                for name in variables.keys {
                    let base = ProcessEnvironment.baseNames.contains(name)
                        || ProcessEnvironment.basePrefixes.contains { name.hasPrefix($0) }
                    #expect(base || own.contains(name), "\(service) got \(name)")
                }
            }

            let originals = ["zoe.quill@example.net", "4111 1111 1111 1111"]
            let reply = try await suite.send([
                "text": "My e-mail is zoe.quill@example.net and my card is 4111 1111 1111 1111",
                "sessionKey": "boundary-1",
            ])
            #expect((reply.json["reply"] as? String)?.contains("zoe.quill@example.net") == true)
            // The control caller still reads the conversation as it was.
            let sessionId = try #require(reply.json["sessionId"] as? String)
            let shown = try await suite.control(
                SessionShowQuery(sessionId: sessionId), service: "router", expecting: SessionShowResult.self)
            #expect(shown.messages.first { $0.direction == .inbound }?.body.contains("4111 1111 1111 1111") == true)
            #expect(shown.messages.first { $0.direction == .outbound }?.body.contains("zoe.quill@example.net") == true)

            // A streamed answer: its pieces are unmasked text too.
            let started = try await suite.send(
                [
                    "endpoint": "chat", "text": "My e-mail is zoe.quill@example.net, card 4111 1111 1111 1111",
                    "sessionKey": "boundary-2", "stream": true,
                ],
                headers: ["Prefer": "respond-async"])
            let execution = try #require(started.json["executionId"] as? String)
            let stream = try await suite.http("GET", "/v1/executions/\(execution)/events", headers: [:])
            let events = ChatSurfaceTests.events(in: stream.body)
            let pieces = events.filter { $0.name == "delta" }.compactMap { $0.json["text"] as? String }
            #expect(pieces.count > 1 && pieces.joined().contains("zoe.quill@example.net"))

            // No SQLite file (main, -wal, -shm) of any service holds an original.
            let data = suite.directory.appendingPathComponent("data")
            let files = try FileManager.default.subpathsOfDirectory(atPath: data.path).filter { $0.contains(".sqlite") }
            #expect(files.contains("router/router.sqlite") && files.contains("tools/tools.sqlite"))
            for file in files {
                let bytes = try Data(contentsOf: data.appendingPathComponent(file))
                for original in originals {
                    #expect(bytes.range(of: Data(original.utf8)) == nil, "\(original) is in \(file)")
                }
            }

            // Each service's folder and key file are its own.
            for service in ["router", "orchestrator", "gateway", "tools", "trust"] {
                #expect(try Self.mode(data.appendingPathComponent(service)) == 0o700, "\(service)")
                let database = data.appendingPathComponent("\(service)/\(service).sqlite")
                #expect(try Self.mode(database) & 0o077 == 0, "\(service)")
            }
            for service in ["router", "orchestrator", "tools"] {
                #expect(try Self.mode(data.appendingPathComponent("\(service)/data.key")) == 0o600, "\(service)")
            }
        }

        @Test func aGeneratedVaultKeyLivesInTrustsOwnFolder() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }
            let data = suite.directory.appendingPathComponent("data")
            #expect(try Self.mode(data.appendingPathComponent("trust/trust-vault.key")) == 0o600)
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("trust-vault.key").path))
        }
    }
}
