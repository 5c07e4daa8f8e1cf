import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("HTTP: health, metrics and status through the router")
struct OperationsRouterTests {
    let health = HealthState()
    let registry = PrometheusCollectorRegistry()
    let metrics: VigilMetrics
    let status: StatusInfo

    init() throws {
        metrics = VigilMetrics(factory: PrometheusMetricsFactory(registry: registry))
        status = StatusInfo(version: "1.4.2", ruleSet: try Modules.registry.ruleSet(for: VigilConfiguration.Rules()), groupId: "vigil-test")
    }

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var contentType: String?
        var body: String
    }

    /// GETs each path through the router, in order.
    func get(_ paths: String...) async throws -> [Reply] {
        let app = Application(router: OperationsRouter.build(health: health, registry: registry, status: status))
        return try await app.test(.router) { client in
            var replies: [Reply] = []
            for path in paths {
                let response = try await client.execute(uri: path, method: .get)
                replies.append(Reply(status: response.status, contentType: response.headers[.contentType], body: String(buffer: response.body)))
            }
            return replies
        }
    }

    func get(_ path: String) async throws -> Reply {
        try await get(path, path)[0]
    }

    func setAllReady() {
        health.update {
            $0.brokersConnected = true
            $0.inGroup = true
            $0.rulesLoaded = true
            $0.stateReady = true
        }
    }

    @Test("/health/live answers 200 for a fresh health state")
    func live() async throws {
        let reply = try await get("/health/live")
        #expect(reply.status == .ok)
        #expect(reply.contentType == "application/json")
        #expect(reply.body == #"{"status":"live"}"#)
    }

    @Test("/health/ready answers 503 naming every failing check while nothing is ready")
    func notReady() async throws {
        let reply = try await get("/health/ready")
        #expect(reply.status == .serviceUnavailable)
        #expect(reply.contentType == "application/json")
        #expect(reply.body == #"{"status":"not-ready","notReady":["brokers","group","rules","state"]}"#)
    }

    @Test("/health/ready names only the checks still failing")
    func partlyReady() async throws {
        health.update {
            $0.brokersConnected = true
            $0.rulesLoaded = true
        }
        let reply = try await get("/health/ready")
        #expect(reply.status == .serviceUnavailable)
        #expect(reply.body == #"{"status":"not-ready","notReady":["group","state"]}"#)
    }

    @Test("/health/ready answers 200 once every check holds")
    func ready() async throws {
        setAllReady()
        let reply = try await get("/health/ready")
        #expect(reply.status == .ok)
        #expect(reply.contentType == "application/json")
        #expect(reply.body == #"{"status":"ready","notReady":[]}"#)
    }

    @Test("/health/ready answers 503 naming publishing while a produce is retried, and 200 again after")
    func notPublishing() async throws {
        setAllReady()
        health.update { $0.publishing = false }
        let stalled = try await get("/health/ready")
        #expect(stalled.status == .serviceUnavailable)
        #expect(stalled.body == #"{"status":"not-ready","notReady":["publishing"]}"#)
        health.update { $0.publishing = true }
        #expect(try await get("/health/ready").status == .ok)
    }

    @Test("/metrics answers Prometheus text with the contract's metrics and labels")
    func metricsText() async throws {
        metrics.consumed(type: .craving)
        metrics.consumed(type: .craving)
        metrics.consumed(type: .checkin)
        metrics.consumed(type: nil)
        metrics.deadLettered(.malformedJSON)
        metrics.deadLettered(.timeInFuture)
        metrics.deadLettered(.timeInFuture)
        metrics.duplicates.increment()
        metrics.alertPublished(rule: "craving-spike", severity: .high, notify: true)
        metrics.alertPublished(rule: "combined-risk", severity: .medium, notify: false)
        metrics.alertPublished(rule: "combined-risk", severity: .high, notify: false)
        metrics.alertSuppressed(rule: "cue-exposure", reason: .folded)
        metrics.kafkaError(operation: "commit")
        metrics.consumerLag(topic: "patient.cravings", partition: 3, lag: 42)
        metrics.consumerLag(topic: "patient.cravings", partition: 3, lag: 17)
        metrics.processingTime.recordMilliseconds(3)

        let reply = try await get("/metrics")
        #expect(reply.status == .ok)
        #expect(reply.contentType == "text/plain; version=0.0.4; charset=utf-8")
        let lines = Set(reply.body.split(separator: "\n").map(String.init))
        let expected = [
            "# TYPE vigil_events_consumed_total counter",
            #"vigil_events_consumed_total{type="care.craving.v1"} 2"#,
            #"vigil_events_consumed_total{type="care.checkin.v1"} 1"#,
            #"vigil_events_consumed_total{type="invalid"} 1"#,
            "# TYPE vigil_events_dead_lettered_total counter",
            #"vigil_events_dead_lettered_total{code="malformed-json"} 1"#,
            #"vigil_events_dead_lettered_total{code="time-in-future"} 2"#,
            "# TYPE vigil_events_duplicate_total counter",
            "vigil_events_duplicate_total 1",
            "# TYPE vigil_alerts_published_total counter",
            #"vigil_alerts_published_total{rule="craving-spike",severity="high"} 1"#,
            #"vigil_alerts_published_total{rule="combined-risk",severity="medium"} 1"#,
            "# TYPE vigil_alert_notifications_total counter",
            #"vigil_alert_notifications_total{rule="craving-spike",severity="high"} 1"#,
            "# TYPE vigil_alerts_grouped_total counter",
            #"vigil_alerts_grouped_total{rule="combined-risk"} 2"#,
            "# TYPE vigil_alerts_suppressed_total counter",
            #"vigil_alerts_suppressed_total{rule="cue-exposure",reason="folded"} 1"#,
            "# TYPE vigil_kafka_errors_total counter",
            #"vigil_kafka_errors_total{operation="commit"} 1"#,
            "# TYPE vigil_consumer_lag gauge",
            #"vigil_consumer_lag{topic="patient.cravings",partition="3"} 17.0"#,
            "# TYPE vigil_event_processing_seconds histogram",
            "vigil_event_processing_seconds_count 1",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing: \(line)")
        }
    }

    @Test("/status answers version, rule module, rule versions, partitions with lag")
    func statusJSON() async throws {
        health.update {
            $0.partitions = [
                HealthState.PartitionStatus(topic: "patient.cravings", partition: 0, lag: 5),
                HealthState.PartitionStatus(topic: "patient.cravings", partition: 1, lag: 7),
                HealthState.PartitionStatus(topic: "patient.checkins", partition: 0, lag: nil),
            ]
        }
        let reply = try await get("/status")
        #expect(reply.status == .ok)
        #expect(reply.contentType == "application/json")
        let json = try JSONParser.parse(Array(reply.body.utf8))
        #expect(json["version"] == .string("1.4.2"))
        #expect(json["groupId"] == .string("vigil-test"))
        #expect(json["ruleModule"] == .string("builtin"))
        guard case .number(let uptime)? = json["uptimeSeconds"] else {
            Issue.record("no uptimeSeconds")
            return
        }
        #expect(uptime >= 0)
        #expect(json["rules"] == .array(Modules.builtinRuleIds.map {
            .object([("id", .string($0)), ("version", .number(1)), ("source", .string("module builtin")), ("status", .string("production"))])
        }))
        guard case .string(let hash)? = json["ruleSetHash"] else {
            Issue.record("no ruleSetHash")
            return
        }
        #expect(hash.count == 32)
        #expect(json["partitions"] == .array([
            .object([("topic", .string("patient.cravings")), ("partition", .number(0)), ("lag", .number(5))]),
            .object([("topic", .string("patient.cravings")), ("partition", .number(1)), ("lag", .number(7))]),
            .object([("topic", .string("patient.checkins")), ("partition", .number(0)), ("lag", .null)]),
        ]))
        #expect(json["totalLag"] == .number(12))
        #expect(json["ready"] == .bool(false))
    }

    @Test("/status reports ready once every check holds")
    func statusReady() async throws {
        setAllReady()
        let json = try JSONParser.parse(Array(try await get("/status").body.utf8))
        #expect(json["ready"] == .bool(true))
        #expect(json["partitions"] == .array([]))
        #expect(json["totalLag"] == .number(0))
    }

    @Test("an unknown path answers 404")
    func unknownPath() async throws {
        #expect(try await get("/admin").status == .notFound)
    }

    @Test("no response carries a patient id, even after events for patients were processed and counted")
    func noPatientIdsInResponses() async throws {
        let engine = try Modules.registry.ruleSet(for: VigilConfiguration.Rules()).engine
        let decoder = EventDecoder()
        var published = 0
        for (number, score) in [(17, 9.0), (23, 2.0), (42, 10.0)] {
            let patientId = "P-\(number)"
            let event = SyntheticEvent(
                id: "e-\(number)", type: .craving, time: Date(timeIntervalSince1970: 1_800_000_000), patientId: patientId,
                fields: [("score", .number(score)), ("substance", .string("ketamine"))])
            let decoded = try decodeStructured(key: patientId, value: event.json(), now: Date(timeIntervalSince1970: 1_800_000_060), decoder: decoder).get()
            metrics.consumed(type: decoded.type)
            var state = PatientState()
            let result = engine.process(decoded, state: &state, detectedAt: Date(timeIntervalSince1970: 1_800_000_060))
            if let alert = result.alert {
                #expect(alert.patientId == patientId)
                metrics.alertPublished(rule: alert.rule, severity: alert.severity, notify: alert.notify)
                published += 1
            }
            for suppression in result.suppressed { metrics.alertSuppressed(rule: suppression.rule, reason: suppression.reason) }
        }
        #expect(published == 2)
        metrics.deadLettered(.keyMismatch)
        setAllReady()
        health.update { $0.partitions = [HealthState.PartitionStatus(topic: "patient.cravings", partition: 2, lag: 0)] }

        let replies = try await get("/health/live", "/health/ready", "/metrics", "/status")
        #expect(replies.map(\.status) == [.ok, .ok, .ok, .ok])
        let metricsBody = replies[2].body
        #expect(metricsBody.contains(#"vigil_events_consumed_total{type="care.craving.v1"} 3"#))
        #expect(metricsBody.contains(#"vigil_alerts_published_total{rule="craving-spike",severity="high"} 2"#))
        for reply in replies {
            #expect(!reply.body.contains("P-"), "a patient id in: \(reply.body)")
            #expect(!reply.body.contains("ketamine"), "a clinical value in: \(reply.body)")
        }
    }
}
