import Foundation
import Hummingbird
import VigilCore

/// `POST /-/reload`: 200 with the new rule set, 422 with every problem when the running rules stay. Served to
/// loopback clients only, unless `http.adminToken` is set: then to any client bearing it, and to no other.
struct ReloadEndpoint: Sendable {
    var adminToken: String?
    var reload: @Sendable () -> RuleReloader.Outcome

    func register(on router: Router<OperationsRequestContext>) {
        router.post("/-/reload") { request, context -> Response in
            if let refusal = refusal(request, context) { return refusal }
            switch reload() {
            case .reloaded(let ruleSet, let restartRequired):
                return OperationsRouter.json(.ok) { body in
                    body.field("status", "reloaded")
                    body.field("ruleSetHash", ruleSet.hash)
                    body.key("rules")
                    body.beginArray()
                    for rule in ruleSet.rules { body.string(rule.id) }
                    body.endArray()
                    body.key("restartRequired")
                    body.beginArray()
                    for key in restartRequired { body.string(key) }
                    body.endArray()
                }
            case .failed(let message):
                return OperationsRouter.json(.unprocessableContent) { body in
                    body.field("status", "failed")
                    body.key("errors")
                    body.beginArray()
                    for line in message.split(separator: "\n") { body.string(String(line)) }
                    body.endArray()
                }
            }
        }
    }

    private func refusal(_ request: Request, _ context: OperationsRequestContext) -> Response? {
        guard let adminToken else {
            return context.isLoopbackClient ? nil : OperationsRouter.json(.forbidden) { $0.field("status", "reload is served to loopback clients only; set http.adminToken to allow others") }
        }
        let given = request.headers[.authorization] ?? ""
        guard Self.constantTimeEqual(given, "Bearer \(adminToken)") else {
            return OperationsRouter.json(.unauthorized) { $0.field("status", "a valid admin token is required") }
        }
        return nil
    }

    /// Compares without an early exit, so the time taken does not reveal how much of a guess was right.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
