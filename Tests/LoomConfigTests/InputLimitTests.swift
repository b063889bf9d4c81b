import Foundation
import Testing

@testable import LoomConfig

/// Route keywords are found by a plain word search, and metadata nested too deep for the YAML
/// parser is refused with its file and line before the parser sees it.
@Suite struct InputLimitTests {
    typealias Conditions = ChannelRoute.Conditions

    @Test func keywordsMatchWholeWordsInAnyCase() {
        let refund = Conditions(keyword: "refund")
        #expect(refund.matches(sender: "", text: "I want a REFUND, please"))
        #expect(refund.matches(sender: "", text: "refund"))
        #expect(refund.matches(sender: "", text: "(refund)"))
        #expect(refund.matches(sender: "", text: "refunds refunded, then a refund"))
        #expect(!refund.matches(sender: "", text: "refunded"))
        #expect(!refund.matches(sender: "", text: "nonrefund"))
        #expect(!refund.matches(sender: "", text: "réfund"))
        #expect(!refund.matches(sender: "", text: "refund2"))
        #expect(Conditions(keyword: "c++").matches(sender: "", text: "I like C++ a lot"))
        #expect(Conditions(keyword: "día").matches(sender: "", text: "Buen DÍA"))
    }

    @Test func keywordSearchOnALongSpacelessMessageFinishes() {
        let text = String(repeating: "refun", count: 40_000)
        #expect(!Conditions(keyword: "refund").matches(sender: "", text: text))
        #expect(Conditions(keyword: "refund").matches(sender: "", text: text + " refund"))
        // Every occurrence glued to a word: each is found and rejected, never rescanned.
        #expect(!Conditions(keyword: "refund").matches(sender: "", text: String(repeating: "xrefund", count: 30_000)))
    }

    @Test func ordinaryYAMLPasses() {
        let text = """
            # a comment with [ brackets {
            agents:
              support:
                instructions: |
                  Quote [like this and {this
                  ] freely.
                tags: [a, [b, c], {d: e}]
                when: "(?i)[a-z]+ {2,}"
                other: it's [fine
                list:
                  - - nested
                    - "quoted ] text"
                  - 'single '' [quote'
            """
        #expect(YAMLLimits().check(text) == nil)
    }

    @Test func deepFlowAndBlockNestingAreRefusedWithALine() {
        for depth in [65, 513, 100_000] {
            let flow = "key: value\nlist: " + String(repeating: "[", count: depth)
            #expect(YAMLLimits().check(flow)?.line == 2, "\(depth)")
            // 100,000 brackets on one line are refused for the line's length already.
            let message = depth < 65_536 ? "nested deeper than 64 levels" : "line longer than 65536 bytes"
            #expect(YAMLLimits().check(flow)?.message == message, "\(depth)")
        }
        // A flow collection opened over many lines: "list:" and its indented first line are two
        // block levels, so the 63rd bracket (line 64) is one too many.
        let spread = "list:\n" + Array(repeating: "  [", count: 100).joined(separator: "\n")
        #expect(YAMLLimits().check(spread)?.line == 64)
        let block = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(YAMLLimits().check(block)?.line == 65)
        let dashes = "list:\n" + String(repeating: "- ", count: 100) + "x"
        #expect(YAMLLimits().check(dashes)?.line == 2)
    }

    @Test func absurdLinesAreRefused() {
        let text = "a: 1\nb: " + String(repeating: "x", count: 70_000)
        #expect(YAMLLimits().check(text) == YAMLLimits.Violation(line: 2, message: "line longer than 65536 bytes"))
    }

    @Test func aDeepMetadataFileIsAConfigIssueNamingFileAndLine() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("deep.yaml").path
        try Data(("a: 1\nb: " + String(repeating: "[", count: 100_000)).utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try YAMLFile(path: path, displayName: "deep.yaml")
        } throws: { error in
            guard let issue = (error as? ConfigError)?.issues.first else { return false }
            return issue.file == "deep.yaml" && issue.line == 2
        }
    }
}
