import Foundation
import Testing

@testable import LoomServiceRuntime

/// Crash points fire once per data directory, and only when armed.
@Suite struct CrashPointsTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aPointIsClaimedOncePerDataDirectory() throws {
        let data = try directory()
        defer { try? FileManager.default.removeItem(at: data) }
        let points = CrashPoints(environment: ["LOOM_CRASH_AT": " router.committed-inbound , x", "LOOM_DATA_DIR": data.path])
        #expect(points.armed == ["router.committed-inbound", "x"])
        #expect(points.claim("router.committed-inbound"))
        #expect(!points.claim("router.committed-inbound"))
        // A restarted process (a new instance) finds the marker and goes past the point.
        let restarted = CrashPoints(environment: ["LOOM_CRASH_AT": "router.committed-inbound", "LOOM_DATA_DIR": data.path])
        #expect(!restarted.claim("router.committed-inbound"))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("crash-points/x").path) == false)
    }

    @Test func unarmedOrWithoutADataDirectoryNothingFires() throws {
        let unarmed = CrashPoints(environment: ["LOOM_DATA_DIR": "/nonexistent"])
        #expect(unarmed.armed.isEmpty)
        unarmed.reach("router.committed-inbound")  // returns: this process is still here
        let homeless = CrashPoints(environment: ["LOOM_CRASH_AT": "a"])
        #expect(!homeless.claim("a"))
        homeless.reach("a")
        let data = try directory()
        defer { try? FileManager.default.removeItem(at: data) }
        let points = CrashPoints(environment: ["LOOM_CRASH_AT": "../escape", "LOOM_DATA_DIR": data.path])
        #expect(!points.claim("../escape"))
    }
}
