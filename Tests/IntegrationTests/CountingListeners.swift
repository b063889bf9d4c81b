import Foundation

/// A listening socket that counts the connections made to it, for tests that check nobody got through.
class CountingListener: @unchecked Sendable {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
    }

    /// Connections waiting or accepted so far.
    var accepted: Int {
        var count = 0
        while case let client = accept(descriptor, nil, nil), client >= 0 {
            Glibc.close(client)
            count += 1
        }
        return count
    }

    func close() { Glibc.close(descriptor) }
}

/// A TCP listener on loopback.
final class LoopbackListener: CountingListener, @unchecked Sendable {
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound, listen(fd, 8) == 0 else { throw HarnessError("cannot listen on loopback") }
        port = Int(UInt16(bigEndian: address.sin_port))
        super.init(descriptor: fd)
    }
}

/// A Unix-domain stream listener at a path anyone may connect to, as a host service's socket is.
final class UnixListener: CountingListener, @unchecked Sendable {
    let type: __socket_type

    init(path: String, type: __socket_type = SOCK_STREAM) throws {
        self.type = type
        let fd = socket(AF_UNIX, Int32(type.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard fd >= 0, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw HarnessError("cannot make a Unix socket at \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard bound, chmod(path, 0o777) == 0, type == SOCK_DGRAM || listen(fd, 8) == 0 else {
            throw HarnessError("cannot listen on \(path)")
        }
        super.init(descriptor: fd)
    }
}

extension UnixListener {
    /// Datagrams waiting so far (a datagram socket).
    var received: Int {
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 512)
        while recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT)) >= 0 { count += 1 }
        return count
    }
}
