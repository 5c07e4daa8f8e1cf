/// Finds a patient's slot from its id, for `PatientStore`: an open-addressing hash table (linear probing) of slot
/// numbers only, which compares ids through the store's array of ids by slot. A bucket takes 4 bytes where a
/// `[String: Int32]` took 20 (its key and value arrays): at 50,000 patients (131,072 buckets) about 10 bytes a
/// patient instead of 52.
///
/// Removal shifts the entries after the removed one back into place (no tombstones), so lookups stay short however
/// many patients come and go.
struct SlotTable {
    private static let empty: Int32 = -1

    /// A power of two, at most three-quarters full (`[]` until the first insertion).
    private var buckets: [Int32] = []
    private(set) var count = 0

    /// The slot whose id in `ids` is `id`.
    func slot(of id: String, ids: [String]) -> Int32? {
        guard !buckets.isEmpty else { return nil }
        var bucket = home(of: id)
        while true {
            let slot = buckets[bucket]
            if slot == Self.empty { return nil }
            if ids[Int(slot)] == id { return slot }
            bucket = (bucket + 1) & mask
        }
    }

    /// Adds `slot`, whose id is `ids[slot]` and not in the table yet.
    mutating func insert(_ slot: Int32, ids: [String]) {
        if (count + 1) * 4 > buckets.count * 3 { rehash(toHold: count + 1, ids: ids) }
        var bucket = home(of: ids[Int(slot)])
        while buckets[bucket] != Self.empty { bucket = (bucket + 1) & mask }
        buckets[bucket] = slot
        count += 1
    }

    /// Removes `slot` if the table maps its id (`ids[slot]`) to it; returns whether it did.
    @discardableResult
    mutating func remove(_ slot: Int32, ids: [String]) -> Bool {
        guard !buckets.isEmpty else { return false }
        var hole = home(of: ids[Int(slot)])
        while buckets[hole] != Self.empty, buckets[hole] != slot { hole = (hole + 1) & mask }
        guard buckets[hole] != Self.empty else { return false }
        buckets[hole] = Self.empty
        count -= 1
        // Moves back each later entry of the run that may sit at the hole: one whose home is not between the
        // hole and its bucket (cyclically), so that every entry stays reachable from its home without a gap.
        var bucket = (hole + 1) & mask
        while buckets[bucket] != Self.empty {
            let distanceFromHome = (bucket &- home(of: ids[Int(buckets[bucket])])) & mask
            if distanceFromHome >= (bucket &- hole) & mask {
                buckets[hole] = buckets[bucket]
                buckets[bucket] = Self.empty
                hole = bucket
            }
            bucket = (bucket + 1) & mask
        }
        return true
    }

    /// Makes room for `count` slots in all without growing again.
    mutating func reserveCapacity(_ count: Int, ids: [String]) {
        if count * 4 > buckets.count * 3 { rehash(toHold: count, ids: ids) }
    }

    private var mask: Int { buckets.count - 1 }

    private func home(of id: String) -> Int { id.hashValue & mask }

    private mutating func rehash(toHold wanted: Int, ids: [String]) {
        var size = Swift.max(16, buckets.count)
        while wanted * 4 > size * 3 { size *= 2 }
        let old = buckets
        buckets = Array(repeating: Self.empty, count: size)
        for slot in old where slot != Self.empty {
            var bucket = home(of: ids[Int(slot)])
            while buckets[bucket] != Self.empty { bucket = (bucket + 1) & mask }
            buckets[bucket] = slot
        }
    }
}
