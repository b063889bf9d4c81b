import Foundation
import Testing

@testable import LoomCLI

/// The pure parts of confining the tools service: the launch prefix and the reachability check
/// that decides whether another user could run the suite's binaries at all.
@Suite struct ServiceUserTests {
    @Test func theLaunchDropsEveryPrivilegeBeforeTheService() {
        let prefix = ServiceUser(name: "loom-tools", uid: 999, gid: 998).launchPrefix
        #expect(prefix.joined(separator: " ") == "/usr/bin/setpriv --reuid 999 --regid 998 --clear-groups --no-new-privs "
            + "--bounding-set -all --inh-caps -all --")
    }

    @Test func aPathBehindAPrivateDirectoryIsUnreachable() {
        let modes: [String: mode_t] = [
            "/root": 0o40700, "/root/loom": 0o40755, "/root/loom/loom-tools": 0o100755,
            "/opt": 0o40755, "/opt/loom": 0o40755, "/opt/loom/loom-tools": 0o100755,
            "/opt/loom/compose": 0o40750, "/opt/loom/secret.yaml": 0o100600,
        ]
        let mode = { (path: String) in modes[path] }
        #expect(ServiceUser.firstUnreachable([("/opt/loom/loom-tools", S_IXOTH)], mode: mode) == nil)
        #expect(ServiceUser.firstUnreachable([("/root/loom/loom-tools", S_IXOTH)], mode: mode) == "/root")
        #expect(ServiceUser.firstUnreachable([("/opt/loom/compose", S_IROTH | S_IXOTH)], mode: mode) == "/opt/loom/compose")
        #expect(ServiceUser.firstUnreachable([("/opt/loom/secret.yaml", S_IROTH)], mode: mode) == "/opt/loom/secret.yaml")
        #expect(ServiceUser.firstUnreachable([("/opt/missing/x", S_IXOTH)], mode: mode) == "/opt/missing")
    }
}
