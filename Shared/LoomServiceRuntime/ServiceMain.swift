import Foundation
import LoomBus
import LoomConfig
import LoomContract
import LoomStore
import Logging
import ServiceLifecycle

/// The shared `main` of every service executable.
///
/// Loads configuration (an invalid file ends the process with status 2 and a message naming
/// the file and key), starts the bus engine, lets the service assemble its parts, runs them
/// until SIGTERM or SIGINT, and then closes every socket before exiting.
public enum ServiceMain {
    public static func run(service: String, _ assemble: @Sendable (ServiceEnvironment, BusEngine) async throws -> [any Service]) async -> Never {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        // Files this process creates (databases, key files) are its own: no group or other access.
        umask(0o077)
        let environment: ServiceEnvironment
        do {
            environment = try ServiceEnvironment.load(service: service)
            try ServiceDataDirectory.prepare(
                root: environment.dataDirectory.deletingLastPathComponent(), service: service)
        } catch {
            FileHandle.standardError.write(Data("loom-\(service): \(error)\n".utf8))
            exit(2)
        }
        let logger = environment.logger
        if !CrashPoints.shared.armed.isEmpty {
            logger.warning("crash points armed (LOOM_CRASH_AT): \(CrashPoints.shared.armed.sorted().joined(separator: ", "))")
        }
        forgetForeignSecrets(
            service: service, metadata: environment.metadata, layout: environment.layout, logger: logger)
        let engine: BusEngine
        do {
            guard let role = BusRole(rawValue: service) else { throw BusSecurityError.missing("'\(service)' is not a bus role") }
            let security = try BusSecurity.load(layout: environment.layout, identity: BusIdentity(role: role, instance: environment.instance))
            if !security.isAuthenticated {
                logger.warning("bus.insecure is set: the bus runs over plain TCP and any local process can send this service anything")
            }
            engine = try BusEngine(name: "loom-\(service)-bus", security: security)
        } catch {
            logger.critical("cannot start the bus: \(error)")
            exit(2)
        }
        var status: Int32 = 0
        do {
            var services = try await assemble(environment, engine)
            if let roster = engine.security.rosterStore {
                services.append(RosterReloader(roster: roster, logger: logger))
            }
            if let parent = ProcessInfo.processInfo.environment["LOOM_PARENT_PID"].flatMap(Int32.init) {
                services.append(ParentWatchdog(parent: parent, logger: logger))
            }
            var configuration = ServiceGroupConfiguration(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            // SIGTERM always ends the process: in-flight work gets this long to commit, then is cancelled.
            configuration.maximumGracefulShutdownDuration = .seconds(10)
            configuration.maximumCancellationDuration = .seconds(5)
            let group = ServiceGroup(configuration: configuration)
            logger.info("ready")
            try await group.run()
        } catch {
            logger.critical("stopped: \(error)")
            status = 1
        }
        engine.shutdown()
        exit(status)
    }
}

/// Provider keys belong to the gateway, channel secrets to the ingress, the vault key to
/// trust, each data key to its service. A service started with another's secret in its
/// environment (a launcher that passed the operator's whole shell on) says so and drops it,
/// so nothing it runs later can read it.
private func forgetForeignSecrets(service: String, metadata: LoomMetadata, layout: SuiteLayout, logger: Logger) {
    let owners = ProcessEnvironment.secretVariables(metadata, layout: layout)
    for name in ProcessEnvironment.foreignSecrets(for: service, metadata: metadata, layout: layout).sorted()
    where getenv(name) != nil {
        let owner = owners.filter { $0.value.contains(name) }.keys.sorted().joined(separator: ", ")
        logger.warning("\(name) holds a secret only \(owner) needs; removed it from this process's environment")
        unsetenv(name)
    }
}

/// Serves a node's inbound traffic until graceful shutdown.
public struct NodeService: Service {
    let node: BusNode
    let handlers: BusHandlers

    public init(node: BusNode, handlers: BusHandlers) {
        self.node = node
        self.handlers = handlers
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await node.serve(handlers) }
    }
}

/// Drains an outbox until graceful shutdown.
public struct RelayService: Service {
    let relay: OutboxRelay

    public init(relay: OutboxRelay) { self.relay = relay }

    public func run() async throws {
        try await relay.resumeAfterRestart()
        await cancelWhenGracefulShutdown { await relay.run() }
    }
}

/// Runs a closure as a service (background workers of a service).
public struct WorkerService: Service {
    let body: @Sendable () async throws -> Void

    public init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    public func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}


/// Reads the roster again every few seconds, so keys added or revoked take effect for new
/// connections without a restart (`docs/security.md`, rotation).
struct RosterReloader: Service {
    let roster: RosterStore
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                do {
                    if try roster.reload() { logger.info("bus roster reloaded (\(roster.roster.members.count) members)") }
                } catch {
                    logger.error("the bus roster no longer reads; keeping the previous one", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// Stops the service when the process that started it (`loom up`, a test) is gone, so no
/// service outlives its supervisor. Enabled by `LOOM_PARENT_PID`.
struct ParentWatchdog: Service {
    let parent: Int32
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if getppid() != parent {
                    logger.warning("supervisor \(parent) is gone; shutting down")
                    kill(getpid(), SIGTERM)
                    return
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
