import LoomConfig
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Closes a connection whose client is too slow to send its request: the first request head
/// must be complete within the header timeout of the connection opening, and every body within
/// the body timeout of its head.
///
/// Without it a client that sends a header byte a second keeps a connection (and its memory)
/// forever; a few hundred of them exhaust the server. The wait for a further request on a
/// kept-alive connection is the idle timeout, which Hummingbird enforces itself.
final class SlowClientGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    struct Timeouts: Sendable {
        var header: TimeAmount
        var body: TimeAmount

        init(_ layout: SuiteLayout.HTTPTimeouts) {
            header = Self.amount(layout.headerSeconds)
            body = Self.amount(layout.bodySeconds)
        }

        /// The layout refuses values outside (0, 86400]; the clamp keeps the conversion safe anyway.
        static func amount(_ seconds: Double) -> TimeAmount {
            let bounded = seconds.isFinite ? min(max(seconds, 0.001), 86_400) : 86_400
            return .milliseconds(Int64((bounded * 1000).rounded()))
        }
    }

    private let timeouts: Timeouts
    private let counter: SlowClientCounter
    private var deadline: Scheduled<Void>?
    private var sawFirstHead = false

    init(timeouts: Timeouts, counter: SlowClientCounter) {
        self.timeouts = timeouts
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeaderDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeaderDeadline(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            sawFirstHead = true
            arm(context, after: timeouts.body)
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func armHeaderDeadline(_ context: ChannelHandlerContext) {
        guard !sawFirstHead, deadline == nil else { return }
        arm(context, after: timeouts.header)
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: TimeAmount) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [counter] in
            self.deadline = nil
            counter.increment()
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// How many connections the ingress closed because their client was too slow (in `/health`).
final class SlowClientCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
