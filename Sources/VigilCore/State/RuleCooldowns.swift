import Foundation

/// A patient's cooldowns by rule id: a small array sorted by rule id rather than a dictionary.
///
/// A patient holds none or a few (one per rule that alerted recently). A dictionary with one entry took about
/// 1,100 bytes of heap; an array takes 32 bytes an entry plus its header, which matters for a caseload held in memory
/// (issue 7's memory targets). Sorted by rule id, so that iteration and the state record are in a fixed order.
public struct RuleCooldowns: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var rule: String
        public var cooldown: PatientState.Cooldown
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(rule: String) -> PatientState.Cooldown? {
        get {
            // Linear: a patient holds a handful at most, and a scan beats hashing the rule id.
            for entry in entries where entry.rule == rule { return entry.cooldown }
            return nil
        }
        set {
            let index = insertionIndex(of: rule)
            let found = index < entries.endIndex && entries[index].rule == rule
            switch (newValue, found) {
            case (let cooldown?, true): entries[index].cooldown = cooldown
            case (let cooldown?, false): entries.insert(Entry(rule: rule, cooldown: cooldown), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
        }
    }

    /// The first entry whose rule is not below `rule`. A restore adds cooldowns in rule order: that is an append,
    /// found without a search, so even a hostile record with many cooldowns restores in linear time.
    private func insertionIndex(of rule: String) -> Int {
        guard let last = entries.last, last.rule >= rule else { return entries.endIndex }
        var (lower, upper) = (0, entries.count - 1)
        while lower < upper {
            let middle = (lower + upper) / 2
            if entries[middle].rule < rule { lower = middle + 1 } else { upper = middle }
        }
        return lower
    }

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// Forgets the cooldowns that ended at or before `cutoff`.
    mutating func removeExpired(before cutoff: Date) {
        if entries.contains(where: { $0.cooldown.until <= cutoff }) { entries.removeAll { $0.cooldown.until <= cutoff } }
    }
}

extension RuleCooldowns: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, PatientState.Cooldown)...) {
        for (rule, cooldown) in elements { self[rule] = cooldown }
    }
}

/// Version-1 records (JSON) hold the synthesized `Codable` form of a dictionary keyed by rule id.
extension RuleCooldowns: Decodable {
    public init(from decoder: any Decoder) throws {
        for (rule, cooldown) in try [String: PatientState.Cooldown](from: decoder) { self[rule] = cooldown }
    }
}
