import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

/// A seccomp filter that refuses, with EPERM, the system calls a tool has no business making:
/// debugging other processes, mounting, loading kernels, modules or BPF programs, the kernel
/// keyring, performance counters, namespaces, and reaching into other processes' memory.
/// Two calls are refused by their arguments: `clone` asking for a new user namespace (the one
/// namespace an unprivileged process may make, and inside it every capability), and `socket`
/// for Unix-domain sockets, which reach host services through any socket file the tool can see
/// whatever its network namespace (`socketpair` stays: it connects a process only to itself).
/// `clone3`, whose flags sit in memory a filter cannot read, answers ENOSYS so the C library
/// falls back to `clone`.
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
        "io_uring_setup", "io_uring_enter", "io_uring_register",
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
        for name in denied { try refuse(context, name, eperm, when: nil) }
        // CLONE_NEWUSER from <linux/sched.h>, which the C library module does not export.
        let newUser: UInt64 = 0x1000_0000
        try refuse(
            context, "clone", eperm, when: scmp_arg_cmp(arg: 0, op: SCMP_CMP_MASKED_EQ, datum_a: newUser, datum_b: newUser))
        try refuse(
            context, "socket", eperm, when: scmp_arg_cmp(arg: 0, op: SCMP_CMP_EQ, datum_a: UInt64(AF_UNIX), datum_b: 0))
        try refuse(context, "clone3", 0x0005_0000 | UInt32(ENOSYS), when: nil)
        let rc = seccomp_load(context)
        guard rc == 0 else { throw Failure(description: "seccomp_load: \(String(cString: strerror(-rc)))") }
    }

    private static func refuse(
        _ context: scmp_filter_ctx, _ name: String, _ action: UInt32, when condition: scmp_arg_cmp?
    ) throws(Failure) {
        let number = seccomp_syscall_resolve_name(name)
        // A call this kernel's architecture does not have needs no rule.
        guard number != __NR_SCMP_ERROR else { return }
        var conditions = [condition].compactMap { $0 }
        let rc = seccomp_rule_add_array(context, action, number, UInt32(conditions.count), &conditions)
        guard rc == 0 else { throw Failure(description: "seccomp rule for \(name): \(-rc)") }
    }
}
