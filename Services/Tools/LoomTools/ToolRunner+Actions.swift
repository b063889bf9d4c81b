import Foundation
import LoomConfig
import LoomContract

/// The standard actions that act outside the record store (`http_callout`, `send_email`): each
/// goes through the ledger by its effect, as commands do (``ToolRunner/oncePerKey(_:effect:act:)``).
extension ToolRunner {
    func runOutsideAction(
        _ action: String, _ capability: CapabilityDefinition, _ request: ToolCallRequest, arguments: [String: JSONValue]
    ) async -> ToolCallResult {
        let irreversible = capability.effect == .irreversible
        switch action {
        case "http_callout":
            let backend: HTTPCalloutBackend
            do { backend = try HTTPCalloutBackend(backend: capability.backend) } catch {
                return .failure("not_configured", "'\(request.capability)' has no usable callout settings")
            }
            let environment = environment
            return await oncePerKey(request, effect: capability.effect) {
                await HTTPCallout(environment: environment)
                    .run(backend, arguments: arguments, key: request.idempotencyKey, irreversible: irreversible)
            }
        case "send_email":
            let backend: EmailBackend
            do { backend = try EmailBackend(backend: capability.backend) } catch {
                return .failure("not_configured", "'\(request.capability)' has no usable e-mail settings")
            }
            let email = EmailAction(backend: backend, environment: environment, records: records)
            return await oncePerKey(request, effect: capability.effect) {
                await email.run(
                    arguments, key: request.idempotencyKey, capability: request.capability, irreversible: irreversible,
                    at: Date())
            }
        default:
            return .failure("unknown_action", "'\(action)' is not a standard action")
        }
    }
}
