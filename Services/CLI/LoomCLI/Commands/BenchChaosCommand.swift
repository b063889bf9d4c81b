import ArgumentParser
import Foundation
import LoomConfig

/// `loom bench chaos`: side-effecting turns through a suite of its own while its services are
/// SIGKILLed one by one; counts what the tools service actually did per turn and says whether
/// any turn was lost, acted twice, or claimed success without acting.
struct BenchChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Side-effecting turns while each service is SIGKILLed: lost, duplicated and unbacked turns.",
        discussion: """
            Starts its own suite (temporary data directory, free loopback ports; logs in <data>/suite.log), \
            sends --turns turns that each call a side-effecting tool, --in-flight at a time, each with its own \
            session and Idempotency-Key (retried with the same key on errors, 5xx, timeouts and 202), and \
            meanwhile kills every service of --kill in turn, --rounds times, letting the supervisor restart \
            it. Afterwards it counts the side effects in the tools service's ledger per turn. A completed turn \
            whose reply does not match --done-reply reported a failure to its user. Exits 1 if a turn was \
            lost, acted more than once, or replied that it was done without acting.
            """)

    @Option(help: "The metadata directory the suite runs with.")
    var config = ProcessInfo.processInfo.environment["LOOM_CONFIG_DIR"] ?? "compose"
    @Option(help: "How many turns to send.") var turns = 200
    @Option(name: .customLong("in-flight"), help: "Turns in flight at once.") var inFlight = 4
    @Option(help: "How many times each service is killed.") var rounds = 1
    @Option(help: "The services to kill, in order, comma-separated.")
    var kill = ChaosSchedule.defaultOrder.joined(separator: ",")
    @Option(help: "The agent the turns go to.") var agent = "support"
    @Option(help: "The text of every turn: it must make the agent call --capability once.")
    var text = "Please close case C-1001."
    @Option(help: "The side-effecting capability each turn calls.") var capability = "update_case_status"
    @Option(
        name: .customLong("done-reply"),
        help: "A regular expression a reply matches when it says the action was done; other replies report a failure.")
    var doneReply = "^Done:"
    @Option(name: .customLong("turn-timeout"), help: "Seconds a turn may take, retries included.")
    var turnTimeout: Double = 150
    @Option(name: .customLong("full-disk"), help: "A service whose disk is full for a while, after the kills.")
    var fullDisk: String?
    @Option(name: .customLong("full-disk-seconds"), help: "How long the disk stays full.")
    var fullDiskSeconds: Double = 5
    @Option(name: .customLong("report-file"), help: "Also write the report as JSON here.") var reportFile: String?
    @Flag(name: .customLong("keep-data"), help: "Keep the data directory (and logs) even when the run passes.")
    var keepData = false

    var services: [String] { kill.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard turns > 0, inFlight > 0, rounds >= 0, turnTimeout > 0 else {
            throw ValidationError("--turns, --in-flight and --turn-timeout must be positive, --rounds not negative")
        }
        let known = Supervisor.startOrder
        for service in services + [fullDisk].compactMap({ $0 }) where !known.contains(service) {
            throw ValidationError("no service named '\(service)' (one of \(known.joined(separator: ", ")))")
        }
        guard fullDiskSeconds > 0 else { throw ValidationError("--full-disk-seconds must be positive") }
        guard (try? NSRegularExpression(pattern: doneReply)) != nil else {
            throw ValidationError("--done-reply is not a regular expression: \(doneReply)")
        }
    }

    func run() async throws {
        let configDirectory = URL(fileURLWithPath: config, isDirectory: true).standardizedFileURL
        let metadata = try UpCommand.loadMetadata(configDirectory)
        guard metadata.agents[agent] != nil, metadata.capabilities[capability]?.sideEffects == true else {
            throw ValidationError("the metadata needs agent '\(agent)' and side-effecting capability '\(capability)'")
        }
        let suite = try ChaosSuite.prepare(configDirectory: configDirectory, metadata: metadata)
        print("chaos: \(turns) turns, \(inFlight) in flight; suite log \(suite.logFile.path)")
        let volume = fullDisk.flatMap { mountVolume(for: $0, suite: suite) }
        let outcome = await run(in: suite, volume: volume)
        await suite.stop()
        let effects = Result {
            try SideEffectLedger.effects(dataDirectory: suite.layout.dataDirectory, capability: capability)
        }
        if let problem = volume?.unmount() {
            print("warning: could not unmount \(suite.dataDirectory.path): \(problem)")
        }
        guard let outcome else {
            print("chaos: stopped before the end; data and logs in \(suite.dataDirectory.path)")
            throw ExitCode(1)
        }
        let report = try ChaosReport(
            turns: outcome.turns, effects: effects.get(), kills: outcome.kills, fullDisk: outcome.fullDisk)
        print(report.text(inFlight: inFlight, seconds: outcome.seconds))
        if !outcome.skipped.isEmpty {
            print("not made (every turn had ended first): \(outcome.skipped.count) disruption(s)")
        }
        if let reportFile {
            try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: reportFile), options: .atomic)
        }
        if report.passed, !keepData {
            try suite.remove()
        } else {
            print("data and logs kept in \(suite.dataDirectory.path)")
        }
        if !report.passed { throw ExitCode(1) }
    }

    /// Starts the suite and runs the turns; nil when start-up failed or a signal stopped the run.
    private func run(in suite: ChaosSuite, volume: FullDiskVolume?) async -> ChaosRun.Outcome? {
        let signals = UpCommand.stopSignals()
        do {
            try await suite.start()
        } catch {
            print("chaos: the suite did not start: \(error) (see \(suite.logFile.path))")
            return nil
        }
        let started = ContinuousClock.now
        let client = ChaosTurnClient(
            baseURL: suite.baseURL, agent: agent, text: text, inFlight: inFlight, turnTimeout: turnTimeout,
            confirms: { [doneReply] reply in Self.matches(doneReply, reply) }, started: started)
        let schedule = ChaosSchedule(
            turns: turns, rounds: rounds, services: services,
            fullDisk: volume.map { ($0.service, fullDiskSeconds) })
        let chaos = ChaosRun(
            client: client, killer: ChaosKiller(supervisor: suite.supervisor, started: started), schedule: schedule,
            fullDisk: volume, turns: turns, inFlight: inFlight, note: { print($0) })
        return await withTaskGroup(of: ChaosRun.Outcome?.self) { group in
            group.addTask { await chaos.run() }
            group.addTask {
                for await signal in signals {
                    print("chaos: received \(signal == SIGINT ? "SIGINT" : "SIGTERM"); stopping")
                    return nil
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private func mountVolume(for service: String, suite: ChaosSuite) -> FullDiskVolume? {
        do {
            let volume = try FullDiskVolume.mount(dataDirectory: suite.layout.dataDirectory, service: service)
            print("full disk: \(service)'s data directory is a 64 MiB tmpfs; it fills for \(fullDiskSeconds) s")
            return volume
        } catch {
            print("full disk: skipped, \(error)")
            return nil
        }
    }
}
