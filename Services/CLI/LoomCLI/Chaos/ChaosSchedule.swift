/// When each disruption of a chaos run happens: spread evenly over the run's progress, each
/// once `after` turns have ended (so a stalled suite is not hit again before it moves on).
struct ChaosSchedule: Equatable, Sendable {
    enum Action: Equatable, Sendable {
        case kill(String)
        case fillDisk(String, seconds: Double)
    }

    struct Event: Equatable, Sendable {
        var action: Action
        var after: Int
    }

    /// The default kill order: the services that hold turns mid-flight first.
    static let defaultOrder = ["orchestrator", "tools", "router", "gateway", "trust", "ingress"]

    let events: [Event]

    /// - Parameters:
    ///   - turns: how many turns the run makes.
    ///   - services: the services to kill, in order, once per round.
    ///   - fullDisk: a service whose disk fills (for how long), after every kill.
    init(turns: Int, rounds: Int, services: [String], fullDisk: (service: String, seconds: Double)? = nil) {
        var actions: [Action] = []
        for _ in 0..<max(rounds, 0) { actions += services.map { Action.kill($0) } }
        if let fullDisk { actions.append(.fillDisk(fullDisk.service, seconds: fullDisk.seconds)) }
        let slots = actions.count + 1
        events = actions.enumerated().map { index, action in
            Event(action: action, after: turns * (index + 1) / slots)
        }
    }
}
