extension Duration {
    /// librdkafka timeouts are `int` milliseconds. Negative durations mean "don't wait" (never librdkafka's -1,
    /// "forever"); huge ones are clamped.
    var kafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        return Int32(max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}
