import Testing

/// End-to-end tests: the built `vigil` executable against `vigil dev-broker` on loopback, with kcat as the
/// independent client. Serialized: each test starts its own broker and daemon, and the machine has two cores.
@Suite("Integration", .serialized)
struct IntegrationTests {}
