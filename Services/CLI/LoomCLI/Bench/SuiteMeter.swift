import Foundation
import LoomConfig
import LoomContract

/// The six service processes of a running suite, found by their health answers, and the data
/// directory their databases live in.
struct SuiteMeter {
    static let services = ["ingress", "router", "orchestrator", "gateway", "tools", "trust"]

    let processes: [String: Int32]
    let dataDirectory: URL

    struct Snapshot {
        var perService: [String: ProcessMeter.Reading]
        var storageBytes: Int
    }

    init(layout: SuiteLayout, ingress: URL) async throws {
        var processes: [String: Int32] = [:]
        for service in Self.services where service != "ingress" {
            let health = try await ControlClient.call(HealthQuery(), service: service, layout: layout, expecting: HealthResult.self)
            processes[service] = health.processId
        }
        let health = try await HTTPClient.get(ingress.appendingPathComponent("health"))
        if let pid = (health.json?["processId"] as? String).flatMap(Int32.init) { processes["ingress"] = pid }
        self.processes = processes
        dataDirectory = URL(fileURLWithPath: layout.dataDirectory, isDirectory: true)
    }

    func read() -> Snapshot {
        Snapshot(
            perService: processes.compactMapValues(ProcessMeter.read),
            storageBytes: ProcessMeter.storageBytes(under: dataDirectory))
    }
}
