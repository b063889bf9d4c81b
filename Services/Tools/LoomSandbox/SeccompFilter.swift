import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

/// A seccomp filter that refuses, with EPERM, the system calls a tool has no business making:
/// debugging other processes, mounting, loading kernels, modules or BPF programs, the kernel
/// keyring, performance counters, namespaces, and reaching into other processes' memory.
/// Some calls are refused by their arguments:
/// - `clone` asking for a new user namespace (the one namespace an unprivileged process may make,
///   and inside it every capability);
/// - `socket` for any family but IPv4, IPv6 and netlink: Unix-domain sockets reach host services
///   through any socket file the tool can see whatever its network namespace, and vsock reaches
///   the hypervisor;
/// - `socketpair` of datagram type, whose sockets can `sendto` any Unix socket path.
/// Arguments are compared on their low 32 bits, the `int` the kernel reads: a value with high
/// bits set must not slip past a 64-bit comparison.
/// `clone3`, whose flags sit in memory a filter cannot read, answers ENOSYS so the C library
/// falls back to `clone`. Memory a process holds without mapping it, which the address-space
/// limit does not count (`memfd_create`, `memfd_secret`, System V `shmget`), is refused.
/// Everything else is allowed (the namespaces and rlimits confine it). System calls of another
/// architecture (32-bit entry points) kill the process: libseccomp's default for a foreign ABI.
/// Loading it sets `no_new_privs`.
public enum SeccompFilter {
    public static let denied = [
        "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "move_mount",
        "open_tree", "fsopen", "fsmount", "fsconfig", "kexec_load", "kexec_file_load", "init_module",
        "finit_module", "delete_module", "bpf", "perf_event_open", "keyctl", "add_key", "request_key",
        "unshare", "setns", "swapon", "swapoff", "reboot", "acct", "quotactl", "userfaultfd",
        "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "lookup_dcookie", "syslog",
        "io_uring_setup", "io_uring_enter", "io_uring_register", "memfd_create", "memfd_secret", "shmget",
    ]

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func apply() throws(Failure) {
        // SCMP_ACT_ALLOW and SCMP_ACT_ERRNO(EPERM), spelled out: Swift does not import function-like macros.
        let allow: UInt32 = 0x7fff_0000
        let eperm: UInt32 = 0x0005_0000 | UInt32(EPERM)
        guard let context = seccomp_init(allow) else { throw Failure(description: "seccomp_init failed") }
        defer { seccomp_release(context) }
        for name in denied { try refuse(context, name, eperm, when: []) }
        // CLONE_NEWUSER from <linux/sched.h>, which the C library module does not export.
        let newUser: UInt64 = 0x1000_0000
        try refuse(context, "clone", eperm, when: [low32(0, mask: newUser, equals: newUser)])
        for family in 0..<Self.familyLimit where !Self.allowedFamilies.contains(family) {
            try refuse(context, "socket", eperm, when: [low32(0, equals: family)])
        }
        // The type's low four bits; SOCK_RAW on a Unix socket is a datagram socket too.
        for type in [UInt64(SOCK_DGRAM.rawValue), UInt64(SOCK_RAW.rawValue)] {
            try refuse(context, "socketpair", eperm, when: [low32(1, mask: 0xf, equals: type)])
        }
        try refuse(context, "clone3", 0x0005_0000 | UInt32(ENOSYS), when: [])
        let rc = seccomp_load(context)
        guard rc == 0 else { throw Failure(description: "seccomp_load: \(String(cString: strerror(-rc)))") }
    }

    /// AF_INET, AF_INET6, AF_NETLINK (the C library's resolver asks netlink which addresses exist).
    static let allowedFamilies: Set<UInt64> = [UInt64(AF_INET), UInt64(AF_INET6), UInt64(AF_NETLINK)]
    /// Above every family the kernel knows (AF_MAX is 46 on Linux 6); it refuses larger ones itself.
    static let familyLimit: UInt64 = 64

    /// `argument & mask == value`, on the argument's low 32 bits.
    private static func low32(_ argument: UInt32, mask: UInt64 = 0xffff_ffff, equals value: UInt64) -> scmp_arg_cmp {
        scmp_arg_cmp(arg: argument, op: SCMP_CMP_MASKED_EQ, datum_a: mask & 0xffff_ffff, datum_b: value)
    }

    private static func refuse(
        _ context: scmp_filter_ctx, _ name: String, _ action: UInt32, when conditions: [scmp_arg_cmp]
    ) throws(Failure) {
        let number = seccomp_syscall_resolve_name(name)
        // A call this kernel's architecture does not have needs no rule.
        guard number != __NR_SCMP_ERROR else { return }
        var conditions = conditions
        let rc = seccomp_rule_add_array(context, action, number, UInt32(conditions.count), &conditions)
        guard rc == 0 else { throw Failure(description: "seccomp rule for \(name): \(-rc)") }
    }
}
