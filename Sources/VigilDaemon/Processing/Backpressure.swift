import Foundation

/// Whether the loop takes input, with hysteresis: it stops taking input when the outputs awaiting acknowledgement
/// reach their bound, and starts again only when they have fallen to half of it, so that it does not flap around
/// the bound. Holding back leaves the prefetched input in librdkafka's queue; only a hold longer than
/// `ProcessingSettings.maxHoldBeforePause` (a broker outage) pauses the partitions, which drops the prefetch, so
/// that the consumer can be polled again for the group (`max.poll.interval.ms`).
struct Backpressure {
    enum Decision: Equatable {
        case flowing
        /// Take no input; the consumer is not polled.
        case holding
        /// Take no input; fetching is paused and the consumer is polled.
        case pausing
    }

    private(set) var holdingSince: Date?
    /// Whether the loop paused the assigned partitions (resume them when flowing again).
    var consumerPaused = false

    mutating func update(awaiting: Int, bytes: Int, settings: ProcessingSettings, now: Date) -> Decision {
        if holdingSince == nil, awaiting >= settings.maxAwaitingDelivery || bytes >= settings.maxAwaitingBytes {
            holdingSince = now
        } else if holdingSince != nil, awaiting <= settings.maxAwaitingDelivery / 2, bytes <= settings.maxAwaitingBytes / 2 {
            holdingSince = nil
        }
        guard let since = holdingSince else { return .flowing }
        return now.timeIntervalSince(since) >= settings.maxHoldBeforePause ? .pausing : .holding
    }

    /// After a rebalance: nothing is paused any more, and the new assignment starts flowing.
    mutating func reset() {
        holdingSince = nil
        consumerPaused = false
    }
}
