import CZeroMQ

/// An error reported by libzmq, with its errno and message.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var operation: String

    static func last(_ operation: String) -> ZMQError { ZMQError(code: zmq_errno(), operation: operation) }

    public var description: String {
        let message = zmq_strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return "\(operation): \(message)"
    }
}
