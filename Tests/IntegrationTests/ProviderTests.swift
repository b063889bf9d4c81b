import Foundation
import LoomContract
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension IntegrationSuites {
    /// The provider gateway against local servers that speak OpenAI's and Anthropic's real wire
    /// formats: whole tool turns through the suite, streaming, faults, fallback, limits,
    /// moderation, usage, and keys that stay in the gateway.
    @Suite(.serialized) struct ProviderTests {
        /// The sample metadata plus providers pointing at `peer` and one agent per provider.
        static func metadata(peer: ProviderPeer) throws -> URL {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-meta-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: SuiteHarness.packageRoot.appendingPathComponent("compose"), to: directory)
            let deadPort = try FreePort.next()
            let base = peer.baseURL
            let fast = "retries: { maxAttempts: 3, baseDelayMilliseconds: 50, maxDelayMilliseconds: 300 }"
            try append(to: directory.appendingPathComponent("providers.yaml"), """
                  openai-fake:
                    type: openai
                    baseURL: \(base)/v1
                    model: gpt-test
                    apiKey: env:LOOM_TEST_OPENAI_KEY
                    timeouts: { connectSeconds: 2, totalSeconds: 4 }
                    \(fast)
                    prices: { inputPerMillion: 2.5, outputPerMillion: 10 }
                    moderationModel: omni-moderation-latest
                  anthropic-fake:
                    type: anthropic
                    baseURL: \(base)/v1
                    model: claude-test
                    maxTokens: 512
                    apiKey: env:LOOM_TEST_ANTHROPIC_KEY
                    timeouts: { connectSeconds: 2, totalSeconds: 4 }
                    \(fast)
                    prices: { inputPerMillion: 3, outputPerMillion: 15 }
                  azure-fake:
                    type: openai
                    baseURL: \(base)/openai/deployments/support-gpt
                    apiVersion: "2024-06-01"
                    model: support-gpt
                    apiKey: env:LOOM_TEST_OPENAI_KEY
                  down-primary:
                    type: openai
                    baseURL: http://127.0.0.1:\(deadPort)/v1
                    model: gpt-down
                    apiKey: env:LOOM_TEST_OPENAI_KEY
                    timeouts: { connectSeconds: 1, totalSeconds: 2 }
                    retries: { maxAttempts: 2, baseDelayMilliseconds: 20, maxDelayMilliseconds: 50 }
                    fallback: [anthropic-fake]
                  slow-fake:
                    type: openai
                    baseURL: \(base)/v1
                    model: gpt-slow
                    apiKey: env:LOOM_TEST_OPENAI_KEY
                    timeouts: { connectSeconds: 1, totalSeconds: 1 }
                    retries: { maxAttempts: 2, baseDelayMilliseconds: 20, maxDelayMilliseconds: 50 }
                  limited-fake:
                    type: openai
                    baseURL: \(base)/v1
                    model: gpt-limited
                    apiKey: env:LOOM_TEST_OPENAI_KEY
                    limits: { concurrency: 1, queueTimeoutSeconds: 30 }

                """)
            let tools = "capabilities: [get_record, query_records]"
            try append(to: directory.appendingPathComponent("agents.yaml"), """
                  oa:
                    provider: openai-fake
                    identity: You are the OpenAI-backed support assistant.
                    \(tools)
                  an:
                    provider: anthropic-fake
                    identity: You are the Anthropic-backed support assistant.
                    \(tools)
                  az:
                    provider: azure-fake
                    identity: You are the Azure-backed assistant.
                  fb:
                    provider: down-primary
                    identity: You are the assistant with a fallback.
                    \(tools)
                  slow:
                    provider: slow-fake
                    identity: You are slow.
                  lim:
                    provider: limited-fake
                    identity: You are limited.
                  guarded:
                    provider: openai-fake
                    identity: You are guarded.
                    trust: { masking: standard, promptSafety: { preset: block, moderation: { provider: openai-fake, onError: closed } } }
                  watched:
                    provider: openai-fake
                    identity: You are watched.
                    trust: { masking: standard, promptSafety: { preset: flag, moderation: { provider: openai-fake, onError: open } } }
                  classify-oa:
                    strategy: direct
                    provider: openai-fake
                    identity: You classify messages.
                    memory: { strategy: none, turns: 0 }
                    outputSchema:
                      type: object
                      required: [category]
                      properties:
                        category: { type: string, enum: [billing, general] }

                """)
            return directory
        }

        static func append(to file: URL, _ text: String) throws {
            try (try String(contentsOf: file, encoding: .utf8) + text).write(to: file, atomically: true, encoding: .utf8)
        }

        static let keys = ["LOOM_TEST_OPENAI_KEY": ProviderPeer.openAIKey, "LOOM_TEST_ANTHROPIC_KEY": ProviderPeer.anthropicKey]

        func start(_ peer: ProviderPeer) async throws -> SuiteHarness {
            try await SuiteHarness(configDirectory: try Self.metadata(peer: peer), extraEnvironment: Self.keys)
        }

        func trace(_ suite: SuiteHarness, _ response: SuiteHarness.HTTPResponse) async throws -> TraceResult {
            let execution = try #require(response.json["executionId"] as? String)
            return try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self)
        }

        @Test func anOpenAIStyleAgentRunsAToolTurnThroughTheSuite() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            let response = try await suite.send([
                "agent": "oa", "text": "I am ana@example.com. What is the status of case C-1001?", "sessionKey": "oa-1",
            ])
            #expect(response.json["status"] as? String == "completed")
            let reply = try #require(response.json["reply"] as? String)
            #expect(reply.hasPrefix("From the records:") && reply.contains("Order arrived damaged"))

            let calls = try await peer.requests(family: "openai")
            try #require(calls.count == 2)
            let first = calls[0]
            #expect(first.path == "/v1/chat/completions")
            #expect(first.headers["authorization"] == "Bearer \(ProviderPeer.openAIKey)")
            #expect(first.json["model"] as? String == "gpt-test")
            #expect(first.messages.first?["role"] as? String == "system")
            let tools = first.json["tools"] as? [[String: Any]] ?? []
            #expect(tools.allSatisfy { $0["type"] as? String == "function" })
            let functions = tools.compactMap { $0["function"] as? [String: Any] }
            #expect(functions.compactMap { $0["name"] as? String }.sorted() == ["get_record", "query_records"])
            #expect(functions.allSatisfy { ($0["parameters"] as? [String: Any])?["type"] as? String == "object" })
            // The provider sees the token, never the address.
            #expect(!first.text.contains("ana@example.com") && first.text.contains("[EMAIL_1]"))

            // The second call carries the assistant's tool call and the tool's result for it.
            let second = calls[1].messages
            let assistant = try #require(second.first { $0["tool_calls"] != nil })
            let call = try #require((assistant["tool_calls"] as? [[String: Any]])?.first)
            #expect((call["function"] as? [String: Any])?["name"] as? String == "get_record")
            #expect(assistant.keys.contains("content"))
            let tool = try #require(second.last)
            #expect(tool["role"] as? String == "tool" && tool["tool_call_id"] as? String == call["id"] as? String)

            // Tokens and cost on the model steps, and who answered.
            let steps = try await trace(suite, response).steps
            let responses = steps.filter { $0.type == .llmResponse }
            #expect(responses.count == 2)
            #expect(responses.allSatisfy { $0.provider == "openai-fake" && ($0.usage?.inputTokens ?? 0) > 40 && ($0.usage?.outputTokens ?? 0) == 12 })
            let cost = try #require(responses[0].usage?.cost)
            let usage = try #require(responses[0].usage)
            #expect(abs(cost - (Double(usage.inputTokens) * 2.5 + 12 * 10) / 1_000_000) < 1e-12)

            // Two calls in one response run as two tools.
            let both = try await suite.send(["agent": "oa", "text": "Compare cases C-1001 and C-1002 please", "sessionKey": "oa-2"])
            #expect((both.json["reply"] as? String)?.contains("Invoice address change") == true)
            #expect(try await trace(suite, both).steps.filter { $0.type == .toolCall }.count == 2)

            // Azure OpenAI: the deployment path, api-version and the api-key header.
            let azure = try await suite.send(["agent": "az", "text": "hello azure", "sessionKey": "az-1"])
            #expect(azure.json["reply"] as? String == "Echo: hello azure")
            let azureCall = try #require(try await peer.requests(family: "openai").last)
            #expect(azureCall.path == "/openai/deployments/support-gpt/chat/completions" && azureCall.query == "api-version=2024-06-01")
            #expect(azureCall.headers["api-key"] == ProviderPeer.openAIKey && azureCall.headers["authorization"] == nil)

            // Structured output: the direct agent's schema goes out as response_format.
            try await peer.script("openai", [["json": Self.chatCompletion(content: #"{"category": "billing"}"#)]])
            let run = try await suite.http(
                "POST", "/v1/agents/classify-oa/run", body: Data(#"{"input": {"text": "refund please"}}"#.utf8))
            #expect(run.status == 200)
            #expect((run.json["output"] as? [String: Any])?["category"] as? String == "billing")
            let format = try #require(try await peer.requests(family: "openai").last?.json["response_format"] as? [String: Any])
            #expect(format["type"] as? String == "json_schema")
            #expect(((format["json_schema"] as? [String: Any])?["schema"] as? [String: Any])?["required"] as? [String] == ["category"])
        }

        static func chatCompletion(content: String) -> [String: Any] {
            [
                "id": "chatcmpl-x", "object": "chat.completion", "created": 1, "model": "gpt-test",
                "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25],
            ]
        }

        @Test func anAnthropicAgentRunsAToolTurnThroughTheSuite() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            let response = try await suite.send(["agent": "an", "text": "What is the status of case C-1002?", "sessionKey": "an-1"])
            #expect(response.json["status"] as? String == "completed")
            #expect((response.json["reply"] as? String)?.contains("Invoice address change") == true)

            let calls = try await peer.requests(family: "anthropic")
            try #require(calls.count == 2)
            let first = calls[0]
            #expect(first.path == "/v1/messages")
            #expect(first.headers["x-api-key"] == ProviderPeer.anthropicKey && first.headers["anthropic-version"] == "2023-06-01")
            #expect(first.headers["authorization"] == nil)
            #expect(first.json["max_tokens"] as? Int == 512)
            #expect((first.json["system"] as? String)?.contains("Anthropic-backed") == true)
            #expect(first.messages.allSatisfy { $0["role"] as? String != "system" })
            #expect(first.messages.first?["role"] as? String == "user")
            let tools = first.json["tools"] as? [[String: Any]] ?? []
            #expect(tools.compactMap { $0["name"] as? String }.sorted() == ["get_record", "query_records"])
            #expect(tools.allSatisfy { ($0["input_schema"] as? [String: Any])?["type"] as? String == "object" })

            // The answer to the tool_use block goes back as a tool_result block in a user turn.
            let turns = calls[1].messages
            let roles = turns.compactMap { $0["role"] as? String }
            #expect(zip(roles, roles.dropFirst()).allSatisfy { $0 != $1 })
            let use = try #require((turns.dropLast().last?["content"] as? [[String: Any]])?.first { $0["type"] as? String == "tool_use" })
            #expect(use["name"] as? String == "get_record" && (use["input"] as? [String: Any])?["recordId"] as? String == "C-1002")
            let result = try #require((turns.last?["content"] as? [[String: Any]])?.first)
            #expect(result["type"] as? String == "tool_result" && result["tool_use_id"] as? String == use["id"] as? String)

            let steps = try await trace(suite, response).steps.filter { $0.type == .llmResponse }
            #expect(steps.allSatisfy { $0.provider == "anthropic-fake" && $0.usage?.outputTokens == 15 && $0.usage?.cost != nil })
        }

        @Test func streamingCallersReceiveTheProvidersTextAsItIsWritten() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            for agent in ["oa", "an"] {
                let text = "tell me about rivers mountains and the sea in many words"
                let started = try await suite.send(
                    ["agent": agent, "endpoint": "chat", "text": text, "sessionKey": "stream-\(agent)", "stream": true],
                    headers: ["Prefer": "respond-async"])
                #expect(started.status == 202)
                let execution = try #require(started.json["executionId"] as? String)
                let events = ChatSurfaceTests.events(in: try await suite.http("GET", "/v1/executions/\(execution)/events", headers: [:]).body)
                let pieces = events.filter { $0.name == "delta" }.compactMap { $0.json["text"] as? String }
                #expect(pieces.count >= 10, "\(agent): \(pieces)")
                #expect(pieces.joined() == "Echo: " + text)
                #expect(events.last?.name == "reply" && events.last?.json["text"] as? String == "Echo: " + text)
                // The provider was asked to stream; the trace still has the whole answer and its usage.
                let request = try #require(try await peer.requests(family: agent == "oa" ? "openai" : "anthropic").last)
                #expect(request.json["stream"] as? Bool == true)
                let steps = try await suite.control(TraceQuery(executionId: execution), service: "orchestrator", expecting: TraceResult.self).steps
                let answer = try #require(steps.first { $0.type == .llmResponse })
                #expect(answer.content == "Echo: " + text && (answer.usage?.outputTokens ?? 0) > 0 && (answer.usage?.inputTokens ?? 0) > 0)
            }

            // Through the OpenAI-compatible surface, with the official client: many chunks.
            let script = #"""
                import openai, sys
                client = openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key="unused", max_retries=0)
                chunks = [c.choices[0].delta.content for c in client.chat.completions.create(
                    model="an", stream=True, user="stream-openai",
                    messages=[{"role": "user", "content": "say one two three four five six seven eight"}]) if c.choices and c.choices[0].delta.content]
                print(len(chunks)); print("".join(chunks))
                """#
            let output = try await Self.python(script, suite.baseURL.absoluteString)
            let lines = output.split(separator: "\n").map(String.init)
            #expect((Int(lines.first ?? "") ?? 0) >= 8, "\(output)")
            #expect(lines.dropFirst().first == "Echo: say one two three four five six seven eight")
        }

        static func python(_ script: String, _ arguments: String...) async throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            try process.run()
            let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test func providerFaultsAreRetriedOrSurfacedWithoutLosingAnything() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            // 429 with Retry-After, then a 500: retried, and the third answer comes through.
            try await peer.script("openai", [
                ["status": 429, "headers": ["Retry-After": "1"], "json": ["error": ["message": "Rate limit reached", "type": "requests"]]],
                ["status": 500, "json": ["error": ["message": "The server had an error", "type": "server_error"]]],
            ])
            let retried = try await suite.send(["agent": "oa", "text": "hello after faults", "sessionKey": "fault-1"])
            #expect(retried.json["reply"] as? String == "Echo: hello after faults")
            #expect(try await peer.requests(family: "openai").count == 3)

            // A request the provider refuses is not retried; its message reaches the execution.
            try await peer.reset()
            try await peer.script("openai", [
                ["status": 400, "json": ["error": ["message": "Invalid 'messages[1].content': string too long.", "type": "invalid_request_error"]]]
            ])
            let refused = try await suite.send(["agent": "oa", "text": "refuse me", "sessionKey": "fault-2"])
            #expect(refused.json["status"] as? String == "failed")
            let refusal = try #require(try await trace(suite, refused).execution?.error)
            #expect(refusal.code == "PROVIDER_REJECTED" && refusal.message.contains("string too long"))
            #expect(try await peer.requests(family: "openai").count == 1)

            // Malformed and truncated JSON is an error, never a crash: the gateway keeps serving.
            try await peer.reset()
            try await peer.script("openai", [["raw": #"{"id": "chatcmpl-1", "choices": [{"message": {"content": "#], ["raw": "<html>oops</html>"]])
            let malformed = try await suite.send(["agent": "oa", "text": "malformed please", "sessionKey": "fault-3"])
            #expect(try await trace(suite, malformed).execution?.error?.code == "PROVIDER_MALFORMED_RESPONSE")
            let wrongShape = try await suite.send(["agent": "oa", "text": "wrong shape please", "sessionKey": "fault-4"])
            #expect(try await trace(suite, wrongShape).execution?.error?.code == "PROVIDER_MALFORMED_RESPONSE")
            let health = try await suite.control(HealthQuery(), service: "gateway", expecting: HealthResult.self)
            #expect(health.service == "gateway")
            #expect(try await suite.send(["agent": "oa", "text": "still there?", "sessionKey": "fault-5"]).json["reply"] as? String == "Echo: still there?")

            // Slower than the total timeout: each attempt is cut off; the orchestrator tries the
            // gateway once more after a pause, then the call fails clearly.
            try await peer.reset()
            let late = ["delayMs": 2500, "json": Self.chatCompletion(content: "too late")] as [String: Any]
            try await peer.script("openai", [late, late, late, late])
            let slow = try await suite.send(["agent": "slow", "text": "take your time", "sessionKey": "fault-6"])
            let timeout = try #require(try await trace(suite, slow).execution?.error)
            #expect(timeout.code == "PROVIDER_TIMEOUT")
            #expect(try await peer.requests(family: "openai").count == 4)
            let retries = try await trace(suite, slow).steps.filter { $0.type == .policyDecision && $0.content.hasPrefix("retry:") }
            #expect(retries.count == 1)
        }

        @Test func aFallbackAnswersWhenThePrimaryIsDownAndUsageShowsWhoAnswered() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            let response = try await suite.send(["agent": "fb", "text": "What is the status of case C-1001?", "sessionKey": "fb-1"])
            let fallbackError = try await trace(suite, response).execution?.error
            #expect(response.json["status"] as? String == "completed", "\(String(describing: fallbackError))")
            #expect((response.json["reply"] as? String)?.contains("Order arrived damaged") == true)
            let steps = try await trace(suite, response).steps.filter { $0.type == .llmResponse }
            #expect(!steps.isEmpty && steps.allSatisfy { $0.provider == "anthropic-fake" })
            // The fallback got the request in its own format and model.
            #expect(try await peer.requests(family: "anthropic").first?.json["model"] as? String == "claude-test")

            _ = try await suite.send(["agent": "oa", "text": "count me", "sessionKey": "usage-1"])
            let report = try await suite.control(
                UsageQuery(since: Date().addingTimeInterval(-3600), until: Date().addingTimeInterval(60)), service: "gateway",
                expecting: UsageReport.self)
            let fallback = try #require(report.rows.first { $0.agent == "fb" })
            #expect(fallback.provider == "anthropic-fake" && fallback.calls == 2 && fallback.failures == 0)
            #expect(fallback.inputTokens > 0 && fallback.outputTokens == 30 && (fallback.cost ?? 0) > 0)
            let openai = try #require(report.rows.first { $0.agent == "oa" })
            #expect(openai.provider == "openai-fake" && openai.calls == 1 && openai.outputTokens == 12)

            // `loom usage` prints the same table.
            let table = try await Self.loom(["usage", "--since", "1h"], suite: suite)
            #expect(table.contains("fb") && table.contains("anthropic-fake") && table.contains("total"))
        }

        static func loom(_ arguments: [String], suite: SuiteHarness, environment: [String: String]? = nil) async throws -> String {
            let process = Process()
            process.executableURL = SuiteHarness.binary("loom")
            process.arguments = arguments
            process.environment = environment ?? suite.environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        @Test func callsOverAProvidersLimitsQueueInsteadOfFailing() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            try await peer.script("openai", (0..<4).map { _ in ["delayMs": 400, "json": Self.chatCompletion(content: "in turn")] })
            let replies = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<4 {
                    group.addTask { try await suite.send(["agent": "lim", "text": "queue \(index)", "sessionKey": "lim-\(index)"]).json["reply"] as? String }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(replies == Array(repeating: "in turn", count: 4))
            let stats = try await peer.stats()
            #expect(stats.count == 4 && stats.maxInFlight == 1)
        }

        @Test func moderationFlagsOrBlocksMaskedTextAndFailsClosedWhenAsked() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let suite = try await start(peer)
            defer { suite.stop() }

            // Blocked: a polite refusal, no model call, and the reason on the execution.
            let blocked = try await suite.send(["agent": "guarded", "text": "FLAGME, write to bob@example.com", "sessionKey": "mod-1"])
            #expect(blocked.json["reply"] as? String == "I'm sorry, but I can't help with that request. If you think this is a mistake, please rephrase your message.")
            let blockedTrace = try await trace(suite, blocked)
            #expect(blockedTrace.execution?.error?.code == "PROMPT_BLOCKED")
            #expect(blockedTrace.steps.contains { $0.type == .policyDecision && $0.content.contains("violence") })
            #expect(try await peer.requests(family: "openai").isEmpty)
            // The moderation endpoint saw masked text only.
            let moderation = try #require(try await peer.requests(family: "moderation").first)
            #expect(moderation.headers["authorization"] == "Bearer \(ProviderPeer.openAIKey)")
            #expect(moderation.json["model"] as? String == "omni-moderation-latest")
            let input = try #require(moderation.json["input"] as? String)
            #expect(input.contains("[EMAIL_1]") && !input.contains("bob@example.com"))

            // Clean text goes through.
            #expect(try await suite.send(["agent": "guarded", "text": "all good", "sessionKey": "mod-2"]).json["reply"] as? String == "Echo: all good")

            // `flag` records and answers.
            let flagged = try await suite.send(["agent": "watched", "text": "FLAGME gently", "sessionKey": "mod-3"])
            #expect(flagged.json["reply"] as? String == "Echo: FLAGME gently")
            #expect(try await trace(suite, flagged).steps.contains { $0.type == .policyDecision && $0.content.contains("flagged only") })

            // Moderation down: `closed` refuses, `open` lets the text through and notes it.
            let down = (0..<6).map { _ in ["status": 503, "json": ["error": ["message": "unavailable"]]] as [String: Any] }
            try await peer.script("moderation", down)
            let closed = try await suite.send(["agent": "guarded", "text": "innocent words", "sessionKey": "mod-4"])
            #expect(try await trace(suite, closed).execution?.error?.code == "PROMPT_BLOCKED")
            try await peer.script("moderation", down)
            let open = try await suite.send(["agent": "watched", "text": "more innocent words", "sessionKey": "mod-5"])
            #expect(open.json["reply"] as? String == "Echo: more innocent words")
            #expect(try await trace(suite, open).steps.contains { $0.content.contains("failing open") })
        }

        @Test func providerKeysReachTheGatewayProcessOnly() async throws {
            let peer = try await ProviderPeer()
            defer { peer.stop() }
            let config = try Self.metadata(peer: peer)
            let up = try await LoomUpSuite(config: config, environment: Self.keys)
            defer { up.stop() }
            for (name, pid) in up.services {
                let environment = ProcessTree.environment(of: pid)
                let holdsKeys = environment["LOOM_TEST_OPENAI_KEY"] != nil || environment["LOOM_TEST_ANTHROPIC_KEY"] != nil
                #expect(holdsKeys == (name == "loom-gateway"), "\(name)")
            }
            // No metadata file holds a key either: they only name the variables.
            for file in try FileManager.default.contentsOfDirectory(atPath: config.path) where file.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: config.appendingPathComponent(file).path, encoding: .utf8)
                #expect(!text.contains(ProviderPeer.openAIKey) && !text.contains(ProviderPeer.anthropicKey), "\(file)")
            }
            // And the gateway uses them: a turn through the suite started by `loom up`.
            let reply = try await up.send(#"{"agent": "an", "text": "keys?", "sessionKey": "keys-1"}"#)
            #expect(reply["reply"] as? String == "Echo: keys?")
        }
    }
}
