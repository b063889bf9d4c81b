import LoomConfig

/// Where one execution stands in its agent's tool flow: what successful calls have unlocked
/// and what exclusive choices have locked. Built only from the execution's own calls, in
/// order, so driving it again after a restart arrives at the same state.
struct ToolFlowState: Sendable {
    let flow: ToolFlow?
    private(set) var unlocked: Set<String>
    private(set) var locked: Set<String> = []

    init(flow: ToolFlow?) {
        self.flow = flow
        unlocked = Set(flow?.entry ?? [])
    }

    /// The tools the model may call in its next response (`parallel` targets of callable tools included).
    func eligible(among tools: some Sequence<String>) -> Set<String> {
        guard let flow else { return Set(tools) }
        var callable = unlocked
        var grew = true
        while grew {
            let before = callable.count
            for transition in flow.transitions where transition.type == .parallel && callable.contains(transition.from) {
                callable.formUnion(transition.to)
            }
            grew = callable.count != before
        }
        return Set(tools).intersection(callable).subtracting(locked)
    }

    /// Why `tool` may not be called now, or nil when it may.
    func refusal(for tool: String, among tools: some Sequence<String>) -> String? {
        guard flow != nil, !eligible(among: tools).contains(tool) else { return nil }
        if locked.contains(tool) { return "'\(tool)' was ruled out by an earlier exclusive choice" }
        return "'\(tool)' is not available at this point of the flow"
    }

    /// Records a successful call: its transitions unlock their targets, and it is chosen.
    mutating func succeeded(_ tool: String) {
        guard let flow else { return }
        for transition in flow.transitions where transition.from == tool { unlocked.formUnion(transition.to) }
        chose(tool)
    }

    /// Choosing one target of an exclusive transition locks its siblings (even for the other
    /// calls of the same response).
    mutating func chose(_ tool: String) {
        guard let flow else { return }
        for transition in flow.transitions where transition.type == .exclusive && transition.to.contains(tool) {
            locked.formUnion(transition.to.filter { $0 != tool })
        }
    }
}
