import Foundation
import LoomContract
import Testing

@Suite struct JSONSchemaTests {
    func schema(_ json: String) throws -> JSONSchema {
        JSONSchema(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)))
    }

    func value(_ json: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) }

    let caseLookup = """
        {"type": "object", "additionalProperties": false, "required": ["objectType", "recordId"],
         "properties": {"objectType": {"type": "string", "enum": ["case", "account"]},
                        "recordId": {"type": "string", "minLength": 2},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50},
                        "urgent": {"type": "boolean"}}}
        """

    @Test func textWrittenForNumbersAndBooleansIsCoerced() throws {
        let checked = try schema(caseLookup).validate(
            try value(#"{"objectType": "case", "recordId": "C-1001", "limit": "42", "urgent": "TRUE"}"#))
        #expect(try checked.get() == (try value(#"{"objectType": "case", "recordId": "C-1001", "limit": 42, "urgent": true}"#)))
        #expect(try schema(#"{"type": "string"}"#).validate(.number(7)).get() == .string("7"))
    }

    @Test func everyViolationIsNamedWithItsPath() throws {
        let result = try schema(caseLookup).validate(try value(#"{"objectType": "ticket", "limit": 4.5, "extra": 1}"#))
        guard case .failure(let violations) = result else {
            Issue.record("expected violations")
            return
        }
        let text = violations.all.map(\.description)
        #expect(text.contains("$.recordId: is required"))
        #expect(text.contains(#"$.objectType: must be one of "case", "account""#))
        #expect(text.contains("$.limit: expected integer, got a number"))
        #expect(text.contains("$.extra: is not an allowed property"))
    }

    @Test func rangesLengthsPatternsAndItemsAreChecked() throws {
        let list = try schema(#"{"type": "array", "maxItems": 2, "items": {"type": "string", "pattern": "^[A-Z]-\\d+$"}}"#)
        #expect(throws: JSONSchema.Violations.self) { try list.validate(try value(#"["A-1", "b", "C-3"]"#)).get() }
        #expect(try list.validate(try value(#"["A-1"]"#)).get() == .array([.string("A-1")]))
        #expect(throws: JSONSchema.Violations.self) { try schema(caseLookup).validate(try value(#"{"objectType": "case", "recordId": "C", "limit": 0}"#)).get() }
    }

    @Test func malformedSchemasAreReported() throws {
        let problems = try schema(#"{"type": "obj", "properties": {"a": {"type": "string", "pattern": "("}}, "required": "a", "oneOf": []}"#).problems()
        #expect(problems.contains { $0.hasPrefix("$.type:") })
        #expect(problems.contains { $0.hasPrefix("$.properties.a.pattern:") })
        #expect(problems.contains { $0.hasPrefix("$.required:") })
        #expect(problems.contains("$: unsupported keyword 'oneOf'"))
        #expect(try schema(caseLookup).problems().isEmpty)
    }
}
