import Foundation

/// A patient's place in a `PatientStore`: stable while the patient is held, so that the processing loop's indexes
/// (the dirty set, timers, idle patients) refer to a patient by a small integer instead of hashing its id again.
public struct PatientSlot: Hashable, Comparable, Sendable {
    public let index: Int32

    public init(_ index: Int32) { self.index = index }

    public static func < (lhs: PatientSlot, rhs: PatientSlot) -> Bool { lhs.index < rhs.index }
}

/// The state of every patient this instance currently owns. Owned by one processing loop; not shared across
/// threads.
///
/// A patient's id is hashed once per event, to find its slot; the states themselves sit in one array indexed by
/// slot, so that a state takes its own size and not a dictionary bucket's share of it (a dictionary of states
/// at most three-quarters full took ~460 bytes a patient at 50,000 patients, the array ~160).
///
/// A removed patient's slot keeps its id until `releaseRemovedSlots()`: a checkpoint sealed in between can still
/// name the patient in its tombstone, and an event for the same patient meanwhile takes the same slot back, so an
/// id never has two slots.
public struct PatientStore: Sendable {
    private var slotsById = SlotTable()
    private var ids: [String] = []
    private var states: [PatientState] = []
    private var isHeld: [Bool] = []
    /// Slots free for new patients.
    private var vacant: [Int32] = []
    /// Slots removed since the last release, which still map their id.
    private var removed: [Int32] = []

    public init() {}

    /// The patients held.
    public private(set) var count = 0

    /// The slot of a patient held, nil otherwise.
    public func slot(of patientId: String) -> PatientSlot? {
        guard let index = slotsById.slot(of: patientId, ids: ids), isHeld[Int(index)] else { return nil }
        return PatientSlot(index)
    }

    /// The patient's slot, holding it with a fresh state if it was not held.
    public mutating func slot(for patientId: String) -> PatientSlot {
        if let index = slotsById.slot(of: patientId, ids: ids) {
            if !isHeld[Int(index)] {
                isHeld[Int(index)] = true
                count += 1
            }
            return PatientSlot(index)
        }
        let index: Int32
        if let reused = vacant.popLast() {
            index = reused
            ids[Int(index)] = patientId
            isHeld[Int(index)] = true
        } else {
            index = Int32(ids.count)
            // Doubling, as `append` grows: these arrays are large blocks of their own (jemalloc's extents,
            // `Allocator`), whose unused tail is not written until used, so takes address space and little memory.
            // Growing by an eighth copied every state about eight times and faulted in the new pages each time:
            // 9% of the loop while 50,000 new patients arrived.
            ids.append(patientId)
            states.append(PatientState())
            isHeld.append(true)
        }
        slotsById.insert(index, ids: ids)
        count += 1
        return PatientSlot(index)
    }

    /// The id of the patient in `slot` (also after its removal, until the slot is released).
    public func patientId(of slot: PatientSlot) -> String { ids[Int(slot.index)] }

    /// Whether `slot` holds a patient now.
    public func holds(_ slot: PatientSlot) -> Bool {
        Int(slot.index) < isHeld.count && isHeld[Int(slot.index)]
    }

    /// Reads or changes the state in `slot` in place (the slot must hold a patient).
    public mutating func withState<Result>(in slot: PatientSlot, _ body: (inout PatientState) -> Result) -> Result {
        precondition(holds(slot), "no patient in slot \(slot.index)")
        return body(&states[Int(slot.index)])
    }

    public func state(in slot: PatientSlot) -> PatientState? {
        holds(slot) ? states[Int(slot.index)] : nil
    }

    /// Forgets the patient in `slot`; the slot keeps the id until `releaseRemovedSlots()`.
    public mutating func remove(_ slot: PatientSlot) {
        guard holds(slot) else { return }
        isHeld[Int(slot.index)] = false
        states[Int(slot.index)] = PatientState()
        removed.append(slot.index)
        count -= 1
    }

    /// Frees the slots removed since the last release for new patients. Call once nothing refers to them any
    /// more: after a checkpoint sealed its writes (tombstones included) or a reset. A slot removed, held again and
    /// removed again is listed twice, and freed once.
    public mutating func releaseRemovedSlots() {
        for index in removed where !isHeld[Int(index)] && slotsById.remove(index, ids: ids) {
            ids[Int(index)] = ""
            vacant.append(index)
        }
        removed.removeAll(keepingCapacity: true)
    }

    // MARK: By patient id

    public mutating func withState<Result>(of patientId: String, _ body: (inout PatientState) -> Result) -> Result {
        withState(in: slot(for: patientId), body)
    }

    /// A patient's state; setting nil removes the patient (its slot is released by `releaseRemovedSlots()`).
    public subscript(patientId: String) -> PatientState? {
        get { slot(of: patientId).flatMap(state(in:)) }
        set {
            if let newValue {
                withState(of: patientId) { $0 = newValue }
            } else if let slot = slot(of: patientId) {
                remove(slot)
            }
        }
    }

    // MARK: All patients

    /// Calls `body` with every patient held.
    public func forEach(_ body: (PatientSlot, String, PatientState) throws -> Void) rethrows {
        for index in states.indices where isHeld[index] {
            try body(PatientSlot(Int32(index)), ids[index], states[index])
        }
    }

    /// Slots allocated (held, removed or vacant): the size of the arrays.
    public var capacity: Int { states.capacity }

    /// Makes room for the patients a restore of `records` changelog records may bring: as many, up to
    /// `restoreReservationLimit` (about the caseload an instance is sized for; ~45 MB reserved at most). A changelog
    /// not yet compacted holds many records a patient (every checkpoint that changed one wrote it), so beyond that
    /// the store grows as patients arrive instead of reserving room for every record.
    public mutating func reserveCapacity(forRecords records: Int) {
        let wanted = count + min(records, Self.restoreReservationLimit)
        slotsById.reserveCapacity(wanted, ids: ids)
        ids.reserveCapacity(wanted)
        states.reserveCapacity(wanted)
        isHeld.reserveCapacity(wanted)
    }

    public static let restoreReservationLimit = 262_144

    /// Forgets the patients whose events arrive on the given partitions (after a rebalance takes them away);
    /// returns their slots, which are released by `releaseRemovedSlots()`.
    @discardableResult
    public mutating func drop(partitions: Set<Int32>) -> [PatientSlot] {
        var dropped: [PatientSlot] = []
        forEach { slot, _, state in
            if let partition = state.partition, partitions.contains(partition) { dropped.append(slot) }
        }
        for slot in dropped { remove(slot) }
        return dropped
    }

    /// The partitions that some patient in memory arrives on.
    public var partitions: Set<Int32> {
        var partitions: Set<Int32> = []
        forEach { _, _, state in
            if let partition = state.partition { partitions.insert(partition) }
        }
        return partitions
    }
}
