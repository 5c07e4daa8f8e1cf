import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
import VigilCore
@testable import VigilDaemon

@Suite("HTTP: POST /-/reload is served to loopback clients, or to the bearer of the admin token")
struct ReloadEndpointTests {
    let registry = PrometheusCollectorRegistry()

    func router(adminToken: String?, outcome: RuleReloader.Outcome) throws -> Router<OperationsRequestContext> {
        let ruleSet = try Modules.registry.ruleSet(for: VigilConfiguration.Rules())
        let status = StatusInfo(version: "1", ruleSet: ruleSet, groupId: "g")
        return OperationsRouter.build(health: HealthState(), registry: registry, status: { status }, reload: ReloadEndpoint(adminToken: adminToken, reload: { outcome }))
    }

    func post(_ router: Router<OperationsRequestContext>, testing: TestingSetup, authorization: String? = nil) async throws -> (HTTPResponse.Status, String) {
        try await Application(router: router).test(testing) { client in
            var headers = HTTPFields()
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.execute(uri: "/-/reload", method: .post, headers: headers)
            return (response.status, String(buffer: response.body))
        }
    }

    @Test func aClientWithNoKnownAddressIsRefusedWithoutAToken() async throws {
        let (status, body) = try await post(try router(adminToken: nil, outcome: .failed("unused")), testing: .router)
        #expect(status == .forbidden)
        #expect(body.contains("loopback"))
    }

    @Test func aLoopbackClientMayReloadWithoutAToken() async throws {
        let ruleSet = try Modules.registry.ruleSet(for: VigilConfiguration.Rules())
        let (status, body) = try await post(try router(adminToken: nil, outcome: .reloaded(ruleSet, restartRequired: [])), testing: .live)
        #expect(status == .ok)
        #expect(body.contains(#""status":"reloaded""#) && body.contains(ruleSet.hash))
    }

    @Test func withATokenOnlyItsBearerMayReload() async throws {
        let router = try router(adminToken: "s3cret-token", outcome: .failed("the rule files have problems:\nrules.yaml:4:9: unknown name scor"))
        #expect(try await post(router, testing: .live).0 == .unauthorized)
        #expect(try await post(router, testing: .live, authorization: "Bearer wrong").0 == .unauthorized)
        let (status, body) = try await post(router, testing: .router, authorization: "Bearer s3cret-token")
        #expect(status == .unprocessableContent)
        #expect(body.contains(#""rules.yaml:4:9: unknown name scor""#))
        #expect(!body.contains("s3cret"), "the token is never echoed")
    }

    @Test func restartRequiredNamesTheChangedKeysNotTheirValues() {
        var running = VigilConfiguration()
        running.http.adminToken = "first-secret"
        var reread = running
        reread.http.adminToken = "second-secret"
        reread.limits.maxEventBytes = 1024
        reread.rules.module = "example"
        #expect(RuleReloader.restartRequired(running, reread) == ["http.adminToken", "limits.maxEventBytes"])
    }
}
