import Foundation
import Logging
import MCP

/// The MCP stdio transport over a sandboxed child's pipes. The SDK's `StdioTransport` polls a
/// non-blocking descriptor every 10 ms and buffers a line of any length; this one reads on a
/// thread of its own (blocking, never on the cooperative pool), frames lines with a cap
/// (``McpLineFramer``) and writes on a serial queue, so a server that stops reading blocks only
/// its own writes.
actor McpPipeTransport: Transport {
    nonisolated let logger: Logger
    private let input: FileHandle
    private let output: FileHandle
    private let lineLimit: Int
    private let messages = AsyncThrowingStream<Data, any Error>.makeStream()
    private let writes = DispatchQueue(label: "loom-tools.mcp-write")
    private var connected = false

    /// The stream of messages ends with this when the server closes its stdout.
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the MCP server closed its output" }
    }

    /// - Parameters:
    ///   - input: the child's stdout (read here).
    ///   - output: the child's stdin (written here).
    init(input: FileHandle, output: FileHandle, lineLimit: Int, logger: Logger) {
        self.input = input
        self.output = output
        self.lineLimit = lineLimit
        self.logger = logger
    }

    func connect() async throws {
        guard !connected else { return }
        connected = true
        let (descriptor, continuation, limit, logger) = (input.fileDescriptor, messages.continuation, lineLimit, logger)
        Thread.detachNewThread {
            var framer = McpLineFramer(limit: limit)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                let before = framer.oversized
                for line in framer.feed(buffer[0..<count]) { continuation.yield(line) }
                if framer.oversized > before {
                    logger.warning("dropped an MCP message over \(limit) bytes")
                }
            }
            // Finished with an error, not normally: the SDK's client loops on a stream that ends.
            continuation.finish(throwing: Closed())
        }
    }

    func disconnect() async {
        messages.continuation.finish(throwing: Closed())
        try? output.close()
    }

    func send(_ data: Data) async throws {
        var framed = data
        framed.append(0x0a)
        let line = framed
        let (descriptor, queue) = (output.fileDescriptor, writes)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                let failed = line.withUnsafeBytes { bytes -> Int32? in
                    guard let base = bytes.baseAddress else { return nil }
                    var offset = 0
                    while offset < bytes.count {
                        let written = write(descriptor, base + offset, bytes.count - offset)
                        if written < 0, errno == EINTR { continue }
                        guard written > 0 else { return errno }
                        offset += written
                    }
                    return nil
                }
                if let failed {
                    continuation.resume(
                        throwing: MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: failed) ?? .EIO)))
                } else {
                    continuation.resume()
                }
            }
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages.stream }
}
