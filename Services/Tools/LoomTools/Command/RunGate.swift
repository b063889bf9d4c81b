/// A counting gate for async callers: at most `capacity` inside at once, the rest wait in
/// arrival order.
actor RunGate {
    private let capacity: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func enter() async {
        if inside < capacity {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            // The place passes straight to the next caller.
            waiting.removeFirst().resume()
        }
    }
}
