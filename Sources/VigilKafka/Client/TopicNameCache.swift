internal import CRdKafka
import Synchronization

/// Swift names of librdkafka topic handles, so that consumed messages and delivery reports share one String per
/// topic instead of allocating one each.
///
/// Keyed by the `rd_kafka_topic_t` address and checked against the C name on every hit, because librdkafka may
/// free a handle and reuse its address for another topic. The lock is uncontended on the hot path (one poll
/// thread), but delivery reports may be served on several threads at once.
final class TopicNameCache: Sendable {
    private let names = Mutex<[UInt: String]>([:])

    func name(of topic: OpaquePointer) -> String {
        guard let cName = rd_kafka_topic_name(topic) else { return "" }
        let address = UInt(bitPattern: topic)
        return names.withLock { names in
            if let cached = names[address], cached.withCString({ Self.equal($0, cName) }) {
                return cached
            }
            let name = String(cString: cName)
            names[address] = name
            return name
        }
    }

    /// `strcmp(a, b) == 0` without importing the platform's C library for it.
    private static func equal(_ a: UnsafePointer<CChar>, _ b: UnsafePointer<CChar>) -> Bool {
        var index = 0
        while a[index] == b[index] {
            if a[index] == 0 { return true }
            index += 1
        }
        return false
    }
}
