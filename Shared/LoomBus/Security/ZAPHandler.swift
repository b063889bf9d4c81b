import CZeroMQ
import Foundation
import LoomContract

/// The process's ZAP handler (RFC 27): libzmq asks it about every CURVE handshake on this
/// process's server sockets, and it admits only keys on the roster whose role may send
/// something to the listener's service (a tools key never reaches the router), naming each admitted peer
/// `role/instance` as the user id that libzmq then attaches to all of that peer's frames.
///
/// Without a handler libzmq lets any client key through, so the engine binds this one before
/// it opens any server socket. It lives on the engine thread, like every socket.
final class ZAPHandler {
    static let endpoint = "inproc://zeromq.zap.01"

    let socket: ZMQSocket
    private let roster: RosterStore
    private let refusals: BusRefusals

    init(context: UnsafeMutableRawPointer, roster: RosterStore, refusals: BusRefusals) throws {
        socket = try ZMQSocket(context: context, spec: SocketSpec(kind: .rep, bind: [Self.endpoint]))
        self.roster = roster
        self.refusals = refusals
    }

    /// Answers every waiting request.
    func answerPending() {
        while let request = socket.receive() {
            _ = socket.send(Self.reply(to: request, roster: roster, refusals: refusals))
        }
    }

    /// The reply frames for one request: version, request id, status code and text, user id,
    /// metadata.
    static func reply(to request: [Data], roster: RosterStore, refusals: BusRefusals) -> [Data] {
        func answer(_ status: String, _ text: String, userId: String = "") -> [Data] {
            let requestId = request.count > 1 ? request[1] : Data()
            return [Data("1.0".utf8), requestId, Data(status.utf8), Data(text.utf8), Data(userId.utf8), Data()]
        }
        guard request.count >= 6, request[0] == Data("1.0".utf8) else { return answer("500", "malformed ZAP request") }
        let address = String(decoding: request[3], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        guard mechanism == "CURVE", request.count == 7, request[6].count == 32 else {
            refusals.refuse(peer: "address \(address)", counted: "unkeyed", kind: "connection", reason: "mechanism")
            return answer("400", "CURVE required")
        }
        let publicKey = z85(request[6])
        guard let member = roster.member(publicKey: publicKey) else {
            refusals.refuse(
                peer: "key \(publicKey) from \(address)", counted: "unknown", kind: "connection",
                reason: "unknown_key")
            return answer("400", "key not on the roster")
        }
        let domain = String(decoding: request[2], as: UTF8.self)
        guard let listener = role(ofDomain: domain), MessageKind.senders(to: listener).contains(member.role) else {
            refusals.refuse(
                peer: "\(member.userId) from \(address)", counted: member.userId, kind: "connection",
                reason: "role_not_admitted")
            return answer("400", "this role has nothing to send here")
        }
        return answer("200", "OK", userId: member.userId)
    }

    static func domain(of role: BusRole) -> String { "loom:\(role.rawValue)" }

    static func role(ofDomain domain: String) -> BusRole? {
        guard domain.hasPrefix("loom:") else { return nil }
        return BusRole(rawValue: String(domain.dropFirst(5)))
    }

    static func z85(_ key: Data) -> String {
        var text = [CChar](repeating: 0, count: 41)
        _ = key.withUnsafeBytes { zmq_z85_encode(&text, $0.bindMemory(to: UInt8.self).baseAddress, 32) }
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
