import Foundation
import LoomConfig
import LoomContract
import LoomSandbox
import Testing

@testable import LoomTools

/// How a command run is confined, read off the launch's argument vector, and what each way a
/// run can end means for the model.
@Suite struct SandboxPlanTests {
    static func command(_ yaml: [String: JSONValue]) throws -> CommandBackend {
        try CommandBackend(backend: yaml)
    }

    static func host(root: Bool) -> SandboxPlan.Host {
        SandboxPlan.Host(
            exec: "/opt/loom/bin/loom-sandbox-exec", isRoot: root,
            hidden: ["/srv/loom-data", "/run/secrets", "/run", "/etc/loom/suite.yaml"],
            configDirectory: "/etc/loom")
    }

    static func paths(_ name: String) -> SandboxPlan.PathKind {
        switch name {
        case "/bin", "/lib", "/lib64", "/sbin": .symlink(to: "usr" + name)
        case "/run/secrets": .missing
        case "/etc/loom/suite.yaml": .file
        case "/etc/resolv.conf": .symlink(to: "../run/systemd/resolve/stub-resolv.conf")
        default: .directory
        }
    }

    @Test func aRootServiceDropsToNobodyBeforeTheSandboxAndTheToolGetsOnlyItsLimitsAndVariables() throws {
        let command = try Self.command([
            "executable": .string("tools/lookup.py"), "arguments": .array([.string("--fast")]),
            "environment": .array([.string("TZ"), .string("UNSET")]),
            "limits": .object(["cpuSeconds": .number(3), "memoryMegabytes": .number(128)]),
        ])
        let plan = SandboxPlan(
            command, host: Self.host(root: true), environment: ["TZ": "UTC", "SECRET": "x"], path: Self.paths)
        #expect(plan.executable == "/usr/bin/setpriv")
        #expect(Array(plan.arguments.prefix(6)) == ["--reuid", "65534", "--regid", "65534", "--clear-groups", "--"])
        let arguments = plan.arguments.joined(separator: " ")
        for flag in [
            "/usr/bin/bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session "
                + "--cap-drop ALL --uid 65534 --gid 65534",
            "--ro-bind / /", "--size 67108864 --tmpfs /tmp --proc /proc --dev /dev --size 67108864 --tmpfs /dev/shm",
            "--tmpfs /srv/loom-data", "--tmpfs /run", "--remount-ro /srv/loom-data", "--remount-ro /run",
            "--ro-bind /dev/null /etc/loom/suite.yaml",
            "-- /opt/loom/bin/loom-sandbox-exec --cpu 3 --memory-mb 128 --processes 32 --open-files 64 --file-mb 64 "
                + "-- /etc/loom/tools/lookup.py --fast",
        ] {
            #expect(arguments.contains(flag), "\(flag) in \(arguments)")
        }
        #expect(!arguments.contains("--share-net") && !arguments.contains("UTC") && !arguments.contains("--setenv"))
        #expect(plan.environment == ["PATH": SandboxPlan.searchPath, "HOME": "/tmp", "TZ": "UTC"])
        #expect(!arguments.contains("--tmpfs /run/secrets"), "a path the host lacks is not mounted over")
        #expect(!arguments.contains("resolve"), "without network the resolver stays hidden")
        // The program's own directory stays visible over /tmp, and hidden paths come after every bind.
        let bind = try #require(arguments.range(of: "--ro-bind /etc/loom/tools /etc/loom/tools"))
        let hide = try #require(arguments.range(of: "--tmpfs /srv/loom-data"))
        #expect(bind.upperBound < hide.lowerBound && arguments.hasSuffix("--chdir /tmp -- " + Self.tail))
        #expect(plan.refusal == nil)
    }

    static let tail = "/opt/loom/bin/loom-sandbox-exec --cpu 3 --memory-mb 128 --processes 32 --open-files 64 "
        + "--file-mb 64 -- /etc/loom/tools/lookup.py --fast"

    @Test func aProgramInsideAHiddenPathIsRefusedAndANetworkedOneKeepsItsResolver() throws {
        let hidden = try Self.command(["executable": .string("/srv/loom-data/tools/../x.sh")])
        let refused = SandboxPlan(hidden, host: Self.host(root: false), environment: [:], path: Self.paths)
        #expect(refused.refusal?.contains("/srv/loom-data") == true)
        let networked = try Self.command(["executable": .string("/usr/bin/curl"), "network": .bool(true)])
        let plan = SandboxPlan(networked, host: Self.host(root: false), environment: [:], path: Self.paths)
        let arguments = plan.arguments.joined(separator: " ")
        #expect(arguments.contains(
            "--tmpfs /run --ro-bind /dev/null /etc/loom/suite.yaml --ro-bind /run/systemd/resolve /run/systemd/resolve "
                + "--remount-ro /srv/loom-data"))
        #expect(plan.refusal == nil)
    }

    /// A secret mounted the way Kubernetes mounts one (`vault -> ..data/vault`, `..data -> ..<time>`)
    /// stays hidden after it is rotated: hidden paths are resolved at every run, and the folder
    /// of a symlinked secret is hidden as a whole.
    @Test func aRotatedSymlinkedSecretStaysHidden() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("loom-k8s-\(UUID().uuidString)")
        let secrets = root.appendingPathComponent("secrets")
        defer { try? FileManager.default.removeItem(at: root) }
        func rotate(to version: String) throws {
            let folder = secrets.appendingPathComponent(version)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("key-\(version)".utf8).write(to: folder.appendingPathComponent("vault"))
            unlink(secrets.appendingPathComponent("..data").path)
            #expect(symlink(version, secrets.appendingPathComponent("..data").path) == 0)
        }
        try rotate(to: "..v1")
        #expect(symlink("..data/vault", secrets.appendingPathComponent("vault").path) == 0)
        let vault = secrets.appendingPathComponent("vault").path
        let host = SandboxPlan.Host(exec: "/x/loom-sandbox-exec", isRoot: false, hidden: [vault], configDirectory: "/")
        let first = host.resolvingHidden().hidden
        #expect(first.contains(secrets.path) && first.contains { $0.hasSuffix("..v1/vault") }, "\(first)")
        try rotate(to: "..v2")
        #expect(host.resolvingHidden().hidden.contains { $0.hasSuffix("..v2/vault") })
    }

    @Test func namedBindsReplaceTheHostRootAndNetworkIsOptIn() throws {
        let command = try Self.command([
            "executable": .string("/usr/bin/python3"), "binds": .array([.string("/srv/tool")]),
            "network": .bool(true), "workingDirectory": .string("/srv/tool"),
        ])
        let plan = SandboxPlan(command, host: Self.host(root: false), environment: [:], path: Self.paths)
        #expect(plan.executable == "/usr/bin/bwrap")
        let arguments = plan.arguments.joined(separator: " ")
        #expect(!arguments.contains("--ro-bind / /"))
        #expect(arguments.contains("--share-net"))
        #expect(arguments.contains("--ro-bind /usr /usr") && arguments.contains("--symlink usr/bin /bin"))
        #expect(arguments.contains("--ro-bind /srv/tool /srv/tool") && arguments.contains("--chdir /srv/tool"))
    }

    @Test func theLauncherReadsBackWhatThePlanWrites() throws {
        let options = SandboxExecOptions(
            cpuSeconds: 1, memoryMegabytes: 16, processes: 2, openFiles: 8, fileMegabytes: 1, command: ["/bin/true", "-x"])
        #expect(try SandboxExecOptions(parsing: options.arguments) == options)
        #expect(throws: SandboxExecOptions.Invalid.self) { try SandboxExecOptions(parsing: ["--cpu", "1", "--"]) }
        #expect(throws: SandboxExecOptions.Invalid.self) { try SandboxExecOptions(parsing: ["--cpu", "-1", "--", "x"]) }
        #expect(throws: SandboxExecOptions.Invalid.self) { try SandboxExecOptions(parsing: ["--rm", "1", "--", "x"]) }
    }

    @Test func limitsOutsideTheirRangesAreConfigProblems() throws {
        let bad = try Self.command([
            "executable": .string(""), "binds": .array([.string("relative")]),
            "limits": .object(["wallSeconds": .number(0), "processes": .number(100_000)]),
        ])
        #expect(bad.problems.count == 4, "\(bad.problems)")
        #expect(try Self.command(["executable": .string("/bin/true")]).problems.isEmpty)
    }

    @Test func everyEndingIsAStructuredResult() {
        func interpret(_ outcome: CommandProcess.Outcome, effect: CapabilityDefinition.Effect = .readOnly) -> ToolCallResult {
            CommandResult.interpret(outcome, effect: effect, limits: (wall: 5, output: 100))
        }
        let ok = interpret(.exited(status: 0, output: Data(#" {"temperature": 21} "#.utf8), errors: ""))
        #expect(ok.success && ok.result == .object(["temperature": .number(21)]))
        let wrapped = interpret(.exited(status: 0, output: Data(#"{"success": true, "result": 3}"#.utf8), errors: ""))
        #expect(wrapped.result == .number(3))
        let own = interpret(.exited(status: 0, output: Data(#"{"success":false,"code":"no_city","retryable":true}"#.utf8), errors: ""))
        #expect(!own.success && own.code == "no_city" && own.retryable)
        #expect(interpret(.exited(status: 0, output: Data("not json".utf8), errors: "")).code == "invalid_output")
        #expect(interpret(.exited(status: 0, output: Data(), errors: "")).code == "invalid_output")
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(interpret(.exited(status: 0, output: Data(deep.utf8), errors: "")).code == "invalid_output")
        let failed = interpret(.exited(status: 3, output: Data(), errors: "Traceback…\nKeyError: 'city'\n"))
        #expect(failed.code == "command_failed" && failed.error?.hasSuffix("KeyError: 'city'") == true)
        #expect(interpret(.exited(status: 128 + 24, output: Data(), errors: "")).code == "cpu_limit")
        #expect(interpret(.exited(status: 128 + 9, output: Data(), errors: "")).code == "killed")
        #expect(interpret(.signalled(SIGSEGV, errors: "")).code == "crashed")
        #expect(interpret(.exited(status: 126, output: Data(), errors: "loom-sandbox-exec: seccomp")).code == "sandbox_failed")
        #expect(interpret(.timedOut(errors: "")).retryable && !interpret(.timedOut(errors: ""), effect: .irreversible).retryable)
        #expect(interpret(.outputTooLarge).code == "output_too_large")
        #expect(interpret(.couldNotStart("no bwrap")).code == "sandbox_unavailable")
    }
}
