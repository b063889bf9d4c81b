/// Which of an agent's tools the model may call, and when: the entry tools at first, then
/// what each successful call unlocks, for the rest of the execution.
///
/// - `sequential`: the targets become callable once the source tool has succeeded.
/// - `parallel`: the targets may be called together with the source (in the same response)
///   whenever the source is callable.
/// - `exclusive`: as `sequential`, but the targets are alternatives: calling one locks the
///   others for the rest of the execution.
public struct ToolFlow: Sendable, Codable, Equatable {
    public var entry: [String]
    public var transitions: [Transition]

    public struct Transition: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable { case sequential, parallel, exclusive }
        public var from: String
        public var to: [String]
        public var type: Kind

        public init(from: String, to: [String], type: Kind = .sequential) {
            self.from = from
            self.to = to
            self.type = type
        }

        enum CodingKeys: String, CodingKey { case from, to, type }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            from = try c.decode(String.self, forKey: .from)
            to = try c.decode([String].self, forKey: .to)
            type = try c.decodeIfPresent(Kind.self, forKey: .type) ?? .sequential
        }
    }

    public init(entry: [String], transitions: [Transition] = []) {
        self.entry = entry
        self.transitions = transitions
    }

    enum CodingKeys: String, CodingKey { case entry, transitions }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entry = try c.decode([String].self, forKey: .entry)
        transitions = try c.decodeIfPresent([Transition].self, forKey: .transitions) ?? []
    }

    /// Every tool the flow names.
    public var tools: Set<String> { Set(entry + transitions.flatMap { [$0.from] + $0.to }) }

    /// A tool that can reach itself through transitions, or nil when there is no cycle.
    public var cycle: [String]? {
        var edges: [String: [String]] = [:]
        for transition in transitions { edges[transition.from, default: []] += transition.to }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var path: [String] = []
        func visit(_ node: String) -> [String]? {
            if state[node] == 1 { return path.drop { $0 != node } + [node] }
            if state[node] == 2 { return nil }
            state[node] = 1
            path.append(node)
            for next in edges[node] ?? [] { if let found = visit(next) { return found } }
            path.removeLast()
            state[node] = 2
            return nil
        }
        for node in edges.keys.sorted() { if let found = visit(node) { return found } }
        return nil
    }
}
