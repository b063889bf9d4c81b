import LoomContract

/// Bounds checked on a metadata file's text before Yams sees it.
///
/// Yams composes and decodes nodes recursively, so a file nested deep enough (indentation or
/// `[[[[…` flow collections) would exhaust the stack at start-up. One pass over the lines
/// estimates the nesting without parsing: block depth from the stack of indentations and leading
/// `- ` markers, flow depth from brackets that can open a collection, ignoring quoted text,
/// comments and block scalars. It may over-count odd but valid files slightly; never under by much.
struct YAMLLimits {
    var maxDepth = JSONLimits.defaultMaxDepth
    var maxLineBytes = 64 * 1024

    struct Violation: Equatable {
        var line: Int
        var message: String
    }

    func check(_ text: String) -> Violation? {
        var scanner = Scanner(limits: self)
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if let message = scanner.read(bytes) { return Violation(line: index + 1, message: message) }
        }
        return nil
    }

    private enum Quote { case none, single, double }

    private struct Scanner {
        let limits: YAMLLimits
        var indents: [Int] = []
        var flowDepth = 0
        var flowBase = 0
        /// The block depth of the latest line that started outside quotes and flow collections.
        var currentDepth = 0
        var quote = Quote.none
        /// While set, lines indented deeper than this column are the text of a `|` or `>` scalar.
        var blockScalarParent: Int?

        init(limits: YAMLLimits) { self.limits = limits }

        /// Takes one line; returns what it exceeds, if anything.
        mutating func read(_ line: [UInt8]) -> String? {
            guard line.count <= limits.maxLineBytes else { return "line longer than \(limits.maxLineBytes) bytes" }
            let indent = line.prefix { $0 == Byte.space }.count
            if let parent = blockScalarParent {
                if indent == line.count || indent > parent { return nil }
                blockScalarParent = nil
            }
            var start = 0
            var blockDepth = flowDepth > 0 ? flowBase : currentDepth
            var dashColumn: Int?
            if flowDepth == 0, quote == .none {
                guard indent < line.count, line[indent] != Byte.hash else { return nil }
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
                start = indent
                var dashes = 0
                while start < line.count, line[start] == Byte.dash,
                    start + 1 == line.count || line[start + 1] == Byte.space
                {
                    dashColumn = start
                    dashes += 1
                    start += 1
                    while start < line.count, line[start] == Byte.space { start += 1 }
                }
                blockDepth = indents.count + dashes
                currentDepth = blockDepth
                guard blockDepth <= limits.maxDepth else { return "nested deeper than \(limits.maxDepth) levels" }
            }
            let contentStart = start
            guard let contentEnd = scan(line, from: start, blockDepth: blockDepth) else {
                return "nested deeper than \(limits.maxDepth) levels"
            }
            if flowDepth == 0, quote == .none, let keyed = Self.blockScalarIndicator(line[contentStart..<contentEnd]) {
                // `key: |` is followed by text indented past the key; `- |` by text past the dash.
                blockScalarParent = keyed ? contentStart : dashColumn ?? indent
            }
            return nil
        }

        /// Walks one line's characters, tracking quotes and flow brackets. Returns where the
        /// content ends (before a comment), or nil when the flow nesting exceeds the limit.
        private mutating func scan(_ line: [UInt8], from start: Int, blockDepth: Int) -> Int? {
            var previous: UInt8?
            var escaped = false
            var index = start
            while index < line.count {
                let byte = line[index]
                defer { index += 1 }
                switch quote {
                case .double:
                    if escaped {
                        escaped = false
                    } else if byte == Byte.backslash {
                        escaped = true
                    } else if byte == Byte.doubleQuote {
                        quote = .none
                        previous = byte
                    }
                    continue
                case .single:
                    if byte == Byte.singleQuote {
                        if index + 1 < line.count, line[index + 1] == Byte.singleQuote {
                            index += 1
                        } else {
                            quote = .none
                            previous = byte
                        }
                    }
                    continue
                case .none:
                    break
                }
                let afterSpace = index == 0 || line[index - 1] == Byte.space || line[index - 1] == Byte.tab
                if byte == Byte.space || byte == Byte.tab { continue }
                if byte == Byte.hash, afterSpace { return index }
                let valueStart = Self.startsValue(previous, afterSpace: afterSpace)
                switch byte {
                case Byte.doubleQuote where valueStart: quote = .double
                case Byte.singleQuote where valueStart: quote = .single
                case Byte.openBracket, Byte.openBrace:
                    guard flowDepth > 0 || valueStart else { break }
                    if flowDepth == 0 { flowBase = blockDepth }
                    flowDepth += 1
                    if flowBase + flowDepth > limits.maxDepth { return nil }
                case Byte.closeBracket, Byte.closeBrace:
                    if flowDepth > 0 { flowDepth -= 1 }
                default:
                    break
                }
                previous = byte
            }
            return line.count
        }

        /// Whether a quote or bracket here begins a value rather than sitting inside plain text.
        private static func startsValue(_ previous: UInt8?, afterSpace: Bool) -> Bool {
            guard let previous else { return true }
            switch previous {
            case Byte.openBracket, Byte.openBrace, Byte.comma: return true
            case Byte.colon, Byte.dash, Byte.question: return afterSpace
            default: return false
            }
        }

        /// Whether the content ends in `|`, `>`, `|-`, `>+2` … after a key's colon (true) or
        /// alone (false); nil when it does not.
        private static func blockScalarIndicator(_ content: ArraySlice<UInt8>) -> Bool? {
            let trimmed = Array(content.reversed().drop { $0 == Byte.space || $0 == Byte.tab }.reversed())
            let word = Array(trimmed.reversed().prefix { $0 != Byte.space }.reversed())
            guard let first = word.first, first == Byte.pipe || first == Byte.greater else { return nil }
            guard word.dropFirst().allSatisfy({ Byte.isChompingOrDigit($0) }) else { return nil }
            guard let before = trimmed.dropLast(word.count).last(where: { $0 != Byte.space }) else { return false }
            return before == Byte.colon ? true : nil
        }
    }

    private enum Byte {
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let hash = UInt8(ascii: "#")
        static let dash = UInt8(ascii: "-")
        static let colon = UInt8(ascii: ":")
        static let comma = UInt8(ascii: ",")
        static let question = UInt8(ascii: "?")
        static let pipe = UInt8(ascii: "|")
        static let greater = UInt8(ascii: ">")
        static let backslash = UInt8(ascii: "\\")
        static let doubleQuote = UInt8(ascii: "\"")
        static let singleQuote = UInt8(ascii: "'")
        static let openBracket = UInt8(ascii: "[")
        static let closeBracket = UInt8(ascii: "]")
        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")

        static func isChompingOrDigit(_ byte: UInt8) -> Bool {
            byte == dash || byte == UInt8(ascii: "+") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
