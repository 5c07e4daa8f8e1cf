import Foundation

/// The value of a state-changelog record, whose key is the patient id: one patient's whole state, led by its format
/// version so that a later release can read (or knowingly discard) what an earlier one wrote. A tombstone (null
/// value) is a dropped patient.
///
/// Versions 2 to 4 are binary because restore reads every record of the assigned partitions before processing
/// starts: a patient after one event takes about 90 bytes and 1–2 µs to decode, where version 1 (JSON, still read
/// for a rolling upgrade) took about 480 bytes and 35 µs. Version 3 stores each processed event as its fingerprint
/// (`ProcessedEvents`) where version 2 (still read) stored `string source, string id`. Layout, after
/// the version byte 0x04 (JSON starts with `{`; later versions take the next bytes up to 0x1F). Version 4 added the
/// open alert group at the end of `state` and the alert flags 8 and 16; a version-2 or -3 record has no group,
/// and its kept alerts each opened their own group and paged:
///
///     state       = history count·(fingerprint, date) count·(string rule, date until, byte severity)
///                   timers bool(isDischarged) date(latestEventTime) date(nextPruneAt) bool(group present) [group]
///     group       = string(id) date(latestTriggeredAt) byte(notifiedSeverity) count·string(memberIds)
///     history     = count·craving count·checkin count·appointment number(checkinEveryHours)
///     craving     = string(eventId) date number(score) string?(substance)
///     checkin     = string(eventId) date byte(fields present: bit 0 mood … bit 7 helpRequested) the fields present
///     appointment = string(eventId) date byte(status)
///     timers      = byte(optionals present) [date checkinClockStart] [string checkinClockEventId] byte(event type)
///                   int(missedLevel) [date lapseDeadline] [string lapseAlertId] [evidence lapseEvidence]
///                   count·alert(awaitingCheckin) count·(alert int(level) count·string(alertIds))
///     alert       = byte(present: recommendedAction, escalationLevel, originalAlertId, groupId; 16: notify false)
///                   string(alertId) string(rule) int(ruleVersion) byte(severity) byte(status) string(summary)
///                   count·evidence count·string(alsoMatched) date(triggeredAt) date(detectedAt) [string] [int] [string]
///                   [string(groupId), when it is not the alert's own id]
///     evidence    = string(eventId) byte(type) date string(field) (0 number | 1 false | 2 true | 3 string | 4 count·string)
///
/// `fingerprint`: its low and then its high 64 bits, each 8 bytes little-endian; 80 bits are kept in memory, so the
/// low word's bottom 48 bits are written as zeros (and ignored when read: records with them set read the same); its
/// `date` is the first midnight (UTC) at or after the event. Alert ids (a group's id and members, an escalation's
/// ids) are kept as 128-bit values (`AlertIDList`): Vigil's own come back as written, any other as its hash's digits. `varint`: LEB128, at most 10 bytes. `int`: zigzag varint. `count`: varint, never more than the bytes left.
/// `date`: varint `zigzag(ms since 1970) << 1` when that gives back the exact `Date`, else varint 1 and the 8
/// little-endian bytes of `timeIntervalSinceReferenceDate`. `number`: varint `n << 1` for an integer 0...255, else 1
/// and its 8 bytes. `string`: the first time in the record varint `length << 1` and UTF-8, afterwards varint
/// `index << 1 | 1`, strings (compared by their bytes) numbered in order of first appearance. `string?`: 0 for nil,
/// else the header + 1. Enum codes: `BinaryStateCodes`. Not stored: `partition` (the restorer knows it), the kept
/// alerts' `patientId` (the record's key) and their `recommendedAction` when it is their severity's default.
public enum PatientStateCodec {
    /// The version `encode` writes, as the record's first byte.
    public static let formatVersion = 4

    public static func encode(_ state: PatientState) -> [UInt8] {
        // About what the record will take (an event costs some 40 bytes across history and processed events), so
        // that the buffer is not reallocated as it fills: from a fixed 128 bytes it was, twice, for six events.
        let events = state.history.cravings.count + state.history.checkins.count + state.history.appointments.count
        var writer = BinaryStateWriter(capacity: 96 + 48 * max(events, state.processedEvents.count))
        writer.byte(UInt8(formatVersion))
        writer.write(state)
        return writer.bytes
    }

    /// Nil for a record of a later version (written by a newer release): the patient starts afresh. `patientId` is
    /// the record's key; the restored state has no `partition`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, patientId: String) throws -> PatientState? {
        guard let version = bytes.first else { throw PatientStateCodecError(.truncated, "the record is empty") }
        switch version {
        case 2, 3, UInt8(formatVersion):
            var reader = BinaryStateReader(bytes, offset: 1)
            let state = try reader.state(patientId: patientId, version: Int(version))
            guard reader.remaining == 0 else {
                throw PatientStateCodecError(.trailingBytes, "\(reader.remaining) bytes follow the state")
            }
            return state
        case UInt8(ascii: "{"):
            return try decodeVersion1(bytes, patientId: patientId)
        case UInt8(formatVersion + 1)..<0x20:
            return nil
        default:
            throw PatientStateCodecError(.malformed, "the record starts with neither a version byte nor JSON")
        }
    }
}
