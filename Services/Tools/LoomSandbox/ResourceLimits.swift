#if canImport(Glibc)
import Glibc
#endif

/// Kernel limits the sandboxed program inherits: CPU time (SIGXCPU, then SIGKILL), address
/// space, processes of its user, open files, the size of any file it writes, and no core dumps.
public enum ResourceLimits {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func apply(_ options: SandboxExecOptions) throws(Failure) {
        let megabyte = rlim_t(1 << 20)
        let limits: [(resource: Int32, name: String, value: rlim_t)] = [
            (Int32(RLIMIT_CPU.rawValue), "cpu", rlim_t(options.cpuSeconds)),
            (Int32(RLIMIT_AS.rawValue), "address space", rlim_t(options.memoryMegabytes) * megabyte),
            (Int32(__RLIMIT_NPROC.rawValue), "processes", rlim_t(options.processes)),
            (Int32(RLIMIT_NOFILE.rawValue), "open files", rlim_t(options.openFiles)),
            (Int32(RLIMIT_FSIZE.rawValue), "file size", rlim_t(options.fileMegabytes) * megabyte),
            (Int32(RLIMIT_CORE.rawValue), "core size", 0),
        ]
        for limit in limits {
            // The soft CPU limit sends SIGXCPU; the hard one a second later is SIGKILL.
            let hard = limit.resource == Int32(RLIMIT_CPU.rawValue) ? limit.value + 1 : limit.value
            var value = rlimit(rlim_cur: limit.value, rlim_max: hard)
            guard setrlimit(__rlimit_resource_t(UInt32(limit.resource)), &value) == 0 else {
                throw Failure(description: "setrlimit(\(limit.name)): \(String(cString: strerror(errno)))")
            }
        }
    }
}
