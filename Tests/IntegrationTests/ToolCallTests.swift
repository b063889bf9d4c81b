import Foundation
import LoomContract
import Testing

extension IntegrationSuites {
    /// The tools service's standard record actions over the bus, as the orchestrator calls them:
    /// schema checks with coercion, structured failures, and side effects done once per key —
    /// also across a SIGKILL of the tools service.
    @Suite(.serialized) struct ToolCallTests {
        func call(_ suite: SuiteHarness, _ capability: String, _ arguments: String, key: String = UUID().uuidString) async throws -> ToolCallResult {
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(arguments.utf8))
            return try await suite.control(
                ToolCallRequest(capability: capability, arguments: value, idempotencyKey: key, executionId: "exe_test"), service: "tools",
                expecting: ToolCallResult.self, as: SuiteHarness.testOrchestrator)
        }

        func performed(_ suite: SuiteHarness) async throws -> Int {
            try await suite.control(HealthQuery(), service: "tools", expecting: HealthResult.self).counters["sideEffects.recorded"] ?? -1
        }

        @Test func standardActionsCheckTheirArgumentsAndActOncePerKey() async throws {
            let suite = try await SuiteHarness()
            defer { suite.stop() }

            let read = try await call(suite, "get_record", #"{"objectType": "case", "recordId": "C-1001"}"#)
            #expect(read.success)
            guard case .object(let record)? = read.result, case .object(let fields)? = record["fields"] else {
                Issue.record("no record in \(read)")
                return
            }
            #expect(fields["status"] == .string("open"))

            let missing = try await call(suite, "get_record", #"{"objectType": "case", "recordId": "C-404"}"#)
            #expect(!missing.success && missing.code == "not_found" && missing.guidance != nil)
            let invalid = try await call(suite, "get_record", #"{"objectType": "ticket"}"#)
            #expect(invalid.code == "invalid_arguments")
            #expect(invalid.error?.contains("$.recordId: is required") == true && invalid.error?.contains("$.objectType") == true)
            let unknown = try await call(suite, "delete_everything", "{}")
            #expect(unknown.code == "unknown_tool")

            // "2" where the schema says integer is coerced; filters narrow the result.
            let limited = try await call(suite, "query_records", #"{"objectType": "order", "limit": "1"}"#)
            #expect(limited.success)
            if case .object(let found)? = limited.result { #expect(found["count"] == .number(1)) }  // two orders exist
            let filtered = try await call(suite, "query_records", #"{"objectType": "case", "filters": {"accountId": "A-200"}}"#)
            if case .object(let found)? = filtered.result, case .array(let records)? = found["records"] {
                #expect(records.count == 1)
                if case .object(let first)? = records.first { #expect(first["id"] == .string("C-1002")) }
            }

            // A side effect with the same key runs once; the repeat gets the recorded outcome.
            let before = try await performed(suite)
            let first = try await call(suite, "update_case_status", #"{"recordId": "C-1001", "fields": {"status": "pending"}}"#, key: "exe_1:5:call_a")
            let repeated = try await call(suite, "update_case_status", #"{"recordId": "C-1001", "fields": {"status": "pending"}}"#, key: "exe_1:5:call_a")
            #expect(first.success && !first.replayed)
            #expect(repeated.success && repeated.replayed && repeated.result == first.result)
            #expect(try await performed(suite) == before + 1)
            let notAllowed = try await call(suite, "update_case_status", #"{"recordId": "C-1001", "fields": {"priority": "low"}}"#)
            #expect(notAllowed.code == "invalid_arguments")

            // Creating names the new record after the key, so a repeat finds the same one.
            let created = try await call(
                suite, "open_case", #"{"fields": {"accountId": "A-200", "subject": "Wrong size delivered", "priority": "normal"}}"#, key: "exe_3:4:call_c")
            let createdAgain = try await call(
                suite, "open_case", #"{"fields": {"accountId": "A-200", "subject": "Wrong size delivered", "priority": "normal"}}"#, key: "exe_3:4:call_c")
            #expect(created.success && createdAgain.replayed && createdAgain.result == created.result)
            if case .object(let new)? = created.result, let id = new["id"]?.stringValue {
                let fetched = try await call(suite, "get_record", #"{"objectType": "case", "recordId": "\#(id)"}"#)
                #expect(fetched.success)
            } else {
                Issue.record("no id in \(created)")
            }
            #expect(try await call(suite, "open_case", #"{"fields": {"accountId": "A-200", "subject": "Hi", "status": "solved"}}"#).code == "invalid_arguments")

            // The ledger is durable: after a SIGKILL the same key is still recognised.
            let note = try await call(suite, "post_case_note", #"{"recordId": "C-1001", "text": "Called the customer."}"#, key: "exe_2:3:call_b")
            #expect(note.success)
            suite.kill("tools")
            try await suite.start("tools")
            let again = try await call(suite, "post_case_note", #"{"recordId": "C-1001", "text": "Called the customer."}"#, key: "exe_2:3:call_b")
            #expect(again.replayed && again.result == note.result)
            #expect(try await performed(suite) == before + 3)
            let updated = try await call(suite, "get_record", #"{"objectType": "case", "recordId": "C-1001"}"#)
            if case .object(let record)? = updated.result, case .object(let fields)? = record["fields"] {
                #expect(fields["status"] == .string("pending"))
            }
        }
    }
}
