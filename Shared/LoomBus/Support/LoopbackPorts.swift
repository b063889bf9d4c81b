import Foundation

/// Loopback TCP ports the kernel hands out as free (released again for the services to bind).
public enum LoopbackPorts {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// `count` distinct ports.
    public static func free(count: Int) throws -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = try next()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }

    /// Ports below the kernel's ephemeral range (`ip_local_port_range`), 10000 and up. A port
    /// the kernel hands out for `bind(0)` is ephemeral: between our probe and the service's
    /// bind, any outgoing connection on the host may take it as its local port, which turned
    /// up as "Address already in use" at start-up. Outgoing connections never take ports below
    /// the range.
    public static let assignable: Range<Int> = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let low = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        return 10_000..<max(low, 10_001)
    }()

    /// One port that is free now, chosen at random below the ephemeral range.
    public static func next() throws -> Int {
        for _ in 0..<1000 {
            let port = Int.random(in: assignable)
            if isFree(port) { return port }
        }
        throw LoopbackPorts.Failure("no free loopback port below \(assignable.upperBound)")
    }

    /// Whether the port can be bound on loopback right now.
    public static func isFree(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
