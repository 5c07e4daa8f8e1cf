import Foundation
import Hummingbird
import Prometheus
import VigilCore

/// The operator's endpoints: liveness, readiness, Prometheus metrics and status. None of them carries a patient
/// id or a clinical value.
public enum OperationsRouter {
    public static func build(health: HealthState, registry: PrometheusCollectorRegistry, status: StatusInfo) -> Router<OperationsRequestContext> {
        build(health: health, registry: registry, status: { status }, reload: nil)
    }

    /// `status` is read per request: a rule reload changes it. `reload` serves `POST /-/reload` when given.
    static func build(
        health: HealthState, registry: PrometheusCollectorRegistry, status currentStatus: @escaping @Sendable () -> StatusInfo, reload: ReloadEndpoint?
    ) -> Router<OperationsRequestContext> {
        let router = Router(context: OperationsRequestContext.self)
        if let reload { reload.register(on: router) }
        router.get("/health/live") { _, _ -> Response in
            health.isLive()
                ? json(.ok) { $0.field("status", "live") }
                : json(.serviceUnavailable) { $0.field("status", "stalled") }
        }
        router.get("/health/ready") { _, _ -> Response in
            let failing = health.snapshot.notReady
            return json(failing.isEmpty ? .ok : .serviceUnavailable) { body in
                body.field("status", failing.isEmpty ? "ready" : "not-ready")
                body.key("notReady")
                body.beginArray()
                for check in failing { body.string(check) }
                body.endArray()
            }
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.get("/status") { _, _ -> Response in
            let snapshot = health.snapshot
            let status = currentStatus()
            return json(.ok) { body in
                body.field("version", status.version)
                body.key("uptimeSeconds")
                body.number(Int(Date().timeIntervalSince(health.startedAt)))
                body.field("groupId", status.groupId)
                body.field("ruleModule", status.ruleModule)
                body.field("ruleSetHash", status.ruleSetHash)
                body.key("rules")
                body.beginArray()
                for rule in status.rules {
                    body.beginObject()
                    body.field("id", rule.id)
                    body.field("version", rule.version)
                    body.field("source", rule.source)
                    body.field("status", rule.isShadow ? "testing" : "production")
                    body.endObject()
                }
                body.endArray()
                body.key("partitions")
                body.beginArray()
                for partition in snapshot.partitions {
                    body.beginObject()
                    body.field("topic", partition.topic)
                    body.field("partition", Int(partition.partition))
                    body.key("lag")
                    if let lag = partition.lag { body.number(Int(lag)) } else { body.null() }
                    body.endObject()
                }
                body.endArray()
                body.key("totalLag")
                body.number(Int(snapshot.partitions.compactMap(\.lag).reduce(0, +)))
                body.key("state")
                body.beginObject()
                body.key("restoring")
                body.bool(snapshot.restore.restoring)
                body.field("partitions", snapshot.restore.partitions)
                body.field("recordsRead", Int(snapshot.restore.recordsRead))
                body.field("recordsTotal", Int(snapshot.restore.recordsTotal))
                body.field("patients", snapshot.restore.patients)
                body.key("lastRestoreSeconds")
                if let seconds = snapshot.restore.lastSeconds { body.number(seconds) } else { body.null() }
                body.endObject()
                body.key("ready")
                body.bool(snapshot.notReady.isEmpty)
            }
        }
        return router
    }

    static func json(_ status: HTTPResponse.Status, _ write: (inout JSONWriter) -> Void) -> Response {
        var body = JSONWriter(capacity: 256)
        body.beginObject()
        write(&body)
        body.endObject()
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.bytes))
        )
    }
}
