import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// The chat surfaces: the execution event stream (SSE, resumable) and the OpenAI-compatible
    /// endpoint driven by the official `openai` Python client.
    @Suite(.serialized) struct ChatSurfaceTests {
        struct Event {
            var id: String?
            var name: String?
            var data: String
            var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any]) ?? [:] }
        }

        static func events(in body: Data) -> [Event] {
            String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
                var event = Event(id: nil, name: nil, data: "")
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { event.data += line.dropFirst(6) }
                }
                return event.data.isEmpty ? nil : event
            }
        }

        @Test func executionEventsStreamStatusChangesAndTheReplyAndResume() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await SuiteHarness(configDirectory: try ChannelFixtures.metadata(peer: peer))
            defer { suite.stop() }

            let started = try await suite.send(["text": "hello", "endpoint": "chat", "sessionKey": "sse-1"], headers: ["Prefer": "respond-async"])
            #expect(started.status == 202)
            let execution = try #require(started.json["executionId"] as? String)

            let stream = try await suite.http("GET", "/v1/executions/\(execution)/events", headers: [:])
            #expect(stream.status == 200 && stream.headers["content-type"] == "text/event-stream")
            let events = Self.events(in: stream.body)
            #expect(events.filter { $0.name == "status" }.compactMap { $0.json["status"] as? String } == ["pending", "running", "completed"])
            let reply = try #require(events.last)
            #expect(reply.name == "reply" && reply.id == "\(events.count)")
            let text = try #require(reply.json["text"] as? String)
            #expect(text.contains("Hello!"))
            // An async caller reads the answer as it is written: pieces, in order, that make up the reply.
            let pieces = events.filter { $0.name == "delta" }
            #expect(pieces.count > 3)
            #expect(pieces.compactMap { $0.json["text"] as? String }.joined() == text)
            #expect(events.firstIndex { $0.name == "delta" }! > events.firstIndex { $0.json["status"] as? String == "running" }!)

            // Resuming after event 2 gives the rest; resuming after the reply gives nothing.
            let resumed = Self.events(in: try await suite.http("GET", "/v1/executions/\(execution)/events", headers: ["Last-Event-ID": "2"]).body)
            #expect(resumed.map(\.id) == events.dropFirst(2).map(\.id))
            let last = try #require(reply.id)
            #expect(Self.events(in: try await suite.http("GET", "/v1/executions/\(execution)/events", headers: ["Last-Event-ID": last]).body).isEmpty)
            #expect(try await suite.http("GET", "/v1/executions/exe_nope/events", headers: [:]).status == 404)
        }

        @Test func theOfficialOpenAIClientTalksToAnAgent() async throws {
            let peer = try await ChannelPeer()
            defer { peer.stop() }
            let suite = try await SuiteHarness(configDirectory: try ChannelFixtures.metadata(
                peer: peer,
                extraEndpoints: "  openai-request:\n    channel: openai\n    apiKeys: [sk-test-key]\n    requestHistory: request\n",
                extraRoutes: "  - name: openai-request-support\n    endpoint: openai-request\n    agent: support\n"))
            defer { suite.stop() }

            let script = """
            import json, openai, sys
            client = openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key="sk-test-key", max_retries=0)
            out = {}
            first = client.chat.completions.create(model="support", user="oa-1",
                messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi, my email is bo@example.com"}])
            out["first"] = first.choices[0].message.content
            out["finish"] = first.choices[0].finish_reason
            out["usage"] = [first.usage.prompt_tokens, first.usage.completion_tokens, first.usage.total_tokens]
            stream = client.chat.completions.create(model="support", user="oa-1", stream=True,
                stream_options={"include_usage": True}, messages=[{"role": "user", "content": "What did I say?"}])
            chunks = list(stream)
            out["streamed"] = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
            out["streamFinish"] = [c.choices[0].finish_reason for c in chunks if c.choices][-1]
            out["streamUsage"] = chunks[-1].usage.total_tokens if chunks[-1].usage and not chunks[-1].choices else None
            for name, value in [("temperature", 0.2), ("n", 2)]:
                try:
                    client.chat.completions.create(model="support", messages=[{"role": "user", "content": "hi"}], **{name: value})
                except openai.BadRequestError as error:
                    out["refused-" + name] = error.param
            try:
                client.chat.completions.create(model="nobody", messages=[{"role": "user", "content": "hi"}])
            except openai.NotFoundError as error:
                out["missing"] = error.status_code
            try:
                openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key="wrong", max_retries=0).chat.completions.create(
                    model="support", messages=[{"role": "user", "content": "hi"}])
            except openai.AuthenticationError as error:
                out["unauthorized"] = error.status_code
            print(json.dumps(out))
            """
            let result = try Self.runClient(script, suite: suite, name: "client.py")
            #expect((result["first"] as? String)?.contains("bo@example.com") == true)
            #expect(result["finish"] as? String == "stop" && result["streamFinish"] as? String == "stop")
            let usage = result["usage"] as? [Int] ?? []
            #expect(usage.count == 3 && usage[0] > 0 && usage[1] > 0 && usage[2] == usage[0] + usage[1], "\(usage)")
            #expect((result["streamUsage"] as? Int ?? 0) > 0, "the usage chunk: \(result)")
            #expect(result["refused-temperature"] as? String == "temperature" && result["refused-n"] as? String == "n")
            // Same `user`, same session: the streamed second turn remembers the first.
            #expect((result["streamed"] as? String)?.contains("Hi, my email is bo@example.com") == true)
            #expect(result["missing"] as? Int == 404)
            #expect(result["unauthorized"] as? Int == 401)
            try await Self.statelessConversations(suite)
        }

        /// Without `user` the request's messages are the conversation, streamed or not, turn after
        /// turn; with `user` earlier messages must be what the session holds, unless the endpoint
        /// says otherwise. Everything the caller sent is masked before the provider sees it.
        static func statelessConversations(_ suite: SuiteHarness) async throws {
            let script = """
            import json, openai, sys
            client = openai.OpenAI(base_url=sys.argv[1] + "/v1", api_key="sk-test-key", max_retries=0)
            out = {}
            history = [{"role": "system", "content": "Sign every answer as Loomy."}]
            for index, text in enumerate(["Hi, I am Bob, bob@example.net", "I like tea", "what did I say?"]):
                history.append({"role": "user", "content": text})
                if index % 2:
                    chunks = list(client.chat.completions.create(model="support", messages=history, stream=True))
                    answer = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
                else:
                    answer = client.chat.completions.create(model="support", messages=history).choices[0].message.content
                history.append({"role": "assistant", "content": answer})
                out["turn%d" % index] = answer
            raw = client.chat.completions.with_raw_response.create(model="support", user="oa-h",
                messages=[{"role": "user", "content": "Hello there"}])
            first = raw.parse().choices[0].message.content
            held = [{"role": "user", "content": "Hello there"}, {"role": "assistant", "content": first}]
            raw = client.chat.completions.with_raw_response.create(model="support", user="oa-h",
                messages=held + [{"role": "user", "content": "what did I say?"}])
            out["held"] = [raw.headers.get("x-loom-history"), raw.parse().choices[0].message.content]
            other = [{"role": "user", "content": "I never said this"}, {"role": "assistant", "content": "ok"}]
            try:
                client.chat.completions.create(model="support", user="oa-h",
                    messages=other + [{"role": "user", "content": "what did I say?"}])
            except openai.ConflictError as error:
                out["mismatch"] = [error.status_code, error.code, error.param]
            raw = client.chat.completions.with_raw_response.create(model="support", user="oa-h",
                extra_headers={"X-Loom-Endpoint": "openai-request"},
                messages=other + [{"role": "user", "content": "what did I say?"}])
            out["request"] = [raw.headers.get("x-loom-history"), raw.parse().choices[0].message.content]
            try:
                client.chat.completions.create(model="support",
                    messages=[{"role": "tool", "content": "{}", "tool_call_id": "x"}, {"role": "user", "content": "hi"}])
            except openai.BadRequestError as error:
                out["tool"] = error.param
            try:
                client.chat.completions.create(model="support", messages=[{"role": "user", "content": "hi"},
                    {"role": "assistant", "content": "Hello"}])
            except openai.BadRequestError as error:
                out["endsWithAssistant"] = error.param
            print(json.dumps(out))
            """
            let result = try runClient(script, suite: suite, name: "stateless.py")
            #expect((result["turn1"] as? String)?.contains("You said: \"I like tea\". I can see 1 earlier turn(s)") == true, "\(result)")
            #expect(
                (result["turn2"] as? String)?.contains("Earlier you said: \"Hi, I am Bob, bob@example.net\" (2 earlier turn(s)") == true,
                "\(result)")
            let held = result["held"] as? [String] ?? []
            #expect(held.first == "session" && held.last?.contains("Earlier you said: \"Hello there\" (1 earlier") == true, "\(result)")
            #expect(result["mismatch"] as? [AnyHashable] == [409, "history_mismatch", "messages"], "\(result)")
            let request = result["request"] as? [String] ?? []
            #expect(request.first == "request" && request.last?.contains("Earlier you said: \"I never said this\"") == true, "\(result)")
            #expect(result["tool"] as? String == "messages[0].role" && result["endsWithAssistant"] as? String == "messages")

            // The provider saw the caller's instructions after the agent's own, and the history masked.
            let log = try await suite.control(ProviderLogQuery(), service: "gateway", expecting: ProviderLogResult.self)
            let stateless = log.requests.filter { $0.messages.contains { $0.content.contains("what did I say?") } }
            #expect(!stateless.isEmpty)
            for request in log.requests {
                #expect(!request.messages.contains { $0.content.contains("bob@example.net") })
            }
            let system = try #require(stateless.first?.messages.first?.content)
            let signed = try #require(system.range(of: "Sign every answer as Loomy."))
            #expect(system.range(of: "The caller adds these instructions")!.lowerBound < signed.lowerBound)
        }

        static func runClient(_ script: String, suite: SuiteHarness, name: String) throws -> [String: Any] {
            let file = suite.directory.appendingPathComponent(name)
            try script.write(to: file, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", file.path, suite.baseURL.absoluteString]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }
}
