/// What survives a crash: `at-least-once` publishes every alert, possibly twice with the same id; `exactly-once`
/// commits outputs and input offsets in one Kafka transaction.
public enum ProcessingGuarantee: String, Sendable, CaseIterable {
    case atLeastOnce = "at-least-once"
    case exactlyOnce = "exactly-once"
}
