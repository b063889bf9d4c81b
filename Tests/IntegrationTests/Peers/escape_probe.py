#!/usr/bin/python3
"""A command tool that tries to get out of its sandbox, one way per call.

Reads {"attempt": NAME, ...} on stdin and answers {"contained": bool, "detail": str} on stdout
(or runs until it is stopped, for the attempts that only a limit can end).
"""
import ctypes
import json
import os
import socket
import sys


def answer(contained, detail):
    print(json.dumps({"contained": contained, "detail": str(detail)}))
    sys.exit(0)


def read(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        answer(True, error)
    # A hidden file reads as /dev/null: there, but empty.
    answer(not data, "read %d bytes of %s" % (len(data), path))


def new_user_namespace():
    """clone(CLONE_NEWUSER), which would make the child root with every capability of its own namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    pid = libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)  # SYS_clone, CLONE_NEWUSER | SIGCHLD
    if pid == 0:
        os._exit(0)
    if pid > 0:
        os.waitpid(pid, 0)
        answer(False, "cloned into a new user namespace")
    clone_error = os.strerror(ctypes.get_errno())
    pid3 = libc.syscall(435, None, 0)  # SYS_clone3 with no arguments: ENOSYS when filtered, EINVAL when not
    answer(pid3 < 0 and ctypes.get_errno() == 38, "clone: %s; clone3: %s" % (clone_error, os.strerror(ctypes.get_errno())))


def fds():
    """The open descriptors and what they are, but the one listing them."""
    directory = os.open("/proc/self/fd", os.O_RDONLY)
    found = {}
    for name in os.listdir(directory):
        if int(name) != directory:
            try:
                found[name] = os.readlink("/proc/self/fd/" + name)
            except FileNotFoundError:
                pass  # the listing's own descriptor, closed again
    os.close(directory)
    return found


def main():
    request = json.load(sys.stdin)
    attempt = request.get("attempt")
    if attempt == "read":
        read(request["path"])
    elif attempt == "write":
        try:
            with open(request["path"], "w") as handle:
                handle.write("escaped")
            answer(False, "wrote " + request["path"])
        except OSError as error:
            answer(True, error)
    elif attempt == "connect":
        try:
            socket.create_connection(("127.0.0.1", int(request["port"])), timeout=2).close()
            answer(False, "connected to 127.0.0.1:%s" % request["port"])
        except OSError as error:
            answer(True, error)
    elif attempt == "unix":
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.connect(request["path"])
            answer(False, "connected to " + request["path"])
        except OSError as error:
            answer(True, error)
    elif attempt == "unix-high-bits":
        # The domain with high bits set: the kernel reads only the low 32 bits (AF_UNIX).
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        fd = libc.syscall(41, ctypes.c_long(0x100000001), 1, 0)  # SYS_socket
        if fd < 0:
            answer(True, "socket refused: %s" % os.strerror(ctypes.get_errno()))
        try:
            with socket.socket(fileno=fd) as client:
                client.connect(request["path"])
            answer(False, "connected to %s through a high-bits socket" % request["path"])
        except OSError as error:
            answer(True, error)
    elif attempt == "vsock":
        try:
            socket.socket(40, socket.SOCK_STREAM).close()  # AF_VSOCK
            answer(False, "made a vsock socket")
        except OSError as error:
            answer(True, error)
    elif attempt == "datagram-pair":
        try:
            left, _ = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
            left.sendto(b"hello", request["path"])
            answer(False, "sent a datagram to " + request["path"])
        except OSError as error:
            answer(True, error)
    elif attempt == "memfd":
        try:
            fd = os.memfd_create("hoard")
            os.ftruncate(fd, 64 << 20)
            answer(False, "made a 64 MiB memfd")
        except OSError as error:
            answer(True, error)
    elif attempt == "userns":
        new_user_namespace()
    elif attempt == "list":
        entries = os.listdir(request["path"])
        answer(not entries, "%s holds %s" % (request["path"], entries))
    elif attempt == "fork":
        children = 0
        try:
            for _ in range(1000):
                pid = os.fork()
                if pid == 0:
                    os.execv("/bin/sleep", ["sleep", "5"])
                children += 1
            answer(False, "forked %d processes" % children)
        except OSError as error:
            answer(True, "forked %d, then %s" % (children, error))
    elif attempt == "allocate":
        try:
            block = bytearray(4 << 30)
            answer(False, "allocated %d bytes" % len(block))
        except MemoryError as error:
            answer(True, "MemoryError %s" % error)
    elif attempt == "spin":
        while True:
            pass
    elif attempt == "flood":
        line = "x" * 1023 + "\n"
        for _ in range(100 * 1024):
            sys.stdout.write(line)
        answer(False, "printed 100 MB")
    elif attempt == "ptrace":
        libc = ctypes.CDLL(None, use_errno=True)
        result = libc.ptrace(0, 0, None, None)  # PTRACE_TRACEME
        if result == 0:
            answer(False, "ptrace succeeded")
        answer(True, "ptrace refused: %s" % os.strerror(ctypes.get_errno()))
    elif attempt == "status":
        fields = {}
        with open("/proc/self/status") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        print(json.dumps({
            "uid": os.getuid(), "noNewPrivs": fields.get("NoNewPrivs"), "seccomp": fields.get("Seccomp"),
            "capEff": fields.get("CapEff"), "fds": fds(),
            "environment": sorted(os.environ), "pid": os.getpid(), "hostname": socket.gethostname(),
        }))
    else:
        print(json.dumps({"success": False, "code": "unknown_attempt", "error": "no attempt %r" % attempt}))


main()
