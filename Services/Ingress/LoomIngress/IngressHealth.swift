/// The ingress's `/health` body.
struct IngressHealth: Encodable {
    var status = "ok"
    var instance: String
    var processId: String
    /// Connections closed because the client sent its request too slowly.
    var slowClientsDropped: Int
}
