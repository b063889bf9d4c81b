import Foundation
import GRDB

/// What `/proc` says about a set of processes: CPU time used, resident memory now and at its peak.
struct ProcessMeter {
    struct Reading: Equatable {
        /// `utime + stime`, in milliseconds.
        var cpuMilliseconds: Double
        /// `VmRSS` and `VmHWM`, in KiB.
        var residentKiB: Int
        var peakResidentKiB: Int
    }

    /// Clock ticks per second, the unit of `/proc/<pid>/stat`'s CPU fields.
    static let ticksPerSecond = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))

    /// The reading of one process, or nil when it is gone or unreadable.
    static func read(_ pid: Int32) -> Reading? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let cpu = cpuMilliseconds(stat: stat)
        else { return nil }
        return Reading(
            cpuMilliseconds: cpu, residentKiB: kibibytes("VmRSS", in: status) ?? 0,
            peakResidentKiB: kibibytes("VmHWM", in: status) ?? 0)
    }

    /// Fields 14 and 15 of `stat`, counted after the command name, which may itself hold
    /// spaces and parentheses: everything up to the last `)` is the pid and the name.
    static func cpuMilliseconds(stat: String) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond * 1000
    }

    static func kibibytes(_ key: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }

    /// Bytes the services' databases hold in use: pages minus free pages, each database read
    /// (WAL included) through a read-only connection, so a WAL that has not been checkpointed
    /// yet neither hides nor inflates what a turn stored.
    static func storageBytes(under directory: URL) -> Int {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return 0 }
        var total = 0
        for case let file as URL in files where file.pathExtension == "sqlite" {
            var configuration = Configuration()
            configuration.readonly = true
            guard let database = try? DatabaseQueue(path: file.path, configuration: configuration),
                let used = try? database.read({ db -> Int in
                    try Int.fetchOne(
                        db,
                        sql: "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size"
                    ) ?? 0
                })
            else { continue }
            total += used
        }
        return total
    }
}
