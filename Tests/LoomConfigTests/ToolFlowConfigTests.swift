import Foundation
import LoomConfig
import Testing

@Suite struct ToolFlowConfigTests {
    let helper = MetadataTests()

    @Test func unknownToolsAndCyclesAreRejected() throws {
        let agents = try String(contentsOf: MetadataTests.sample.appendingPathComponent("agents.yaml"), encoding: .utf8)
        let issues = try helper.issues(replacing: "agents.yaml", with: agents + """
              flowing:
                provider: scripted
                identity: You follow a flow.
                capabilities: [get_record, update_case_status, post_case_note]
                toolFlow:
                  entry: [get_record]
                  transitions:
                    - { from: get_record, to: [update_case_status, teleport], type: exclusive }
                    - { from: update_case_status, to: [post_case_note] }
                    - { from: post_case_note, to: [get_record] }

            """)
        #expect(issues.contains { $0.key == "agents.flowing.toolFlow" && $0.message.contains("'teleport'") })
        #expect(issues.contains { $0.key == "agents.flowing.toolFlow.transitions" && $0.message.contains("cycle") })
    }
}
