import Foundation
import VigilCore

/// Searches over a patient's records, which `PatientHistory` keeps sorted by event time. They scan from the newest
/// record because rules read recent windows and events mostly arrive in order: no sorting, no copying.
extension Array where Element: TimedRecord {
    /// The index of the record of event `id` at `time`.
    func index(ofEvent id: String, at time: Date) -> Int? {
        var index = endIndex
        while index > startIndex {
            index -= 1
            if self[index].time < time { return nil }
            if self[index].time == time, self[index].eventId == id { return index }
        }
        return nil
    }

    /// One past the last record with a time at or before `time`.
    func end(atOrBefore time: Date) -> Int {
        var index = endIndex
        while index > startIndex, self[index - 1].time > time { index -= 1 }
        return index
    }

    /// One past the last record with a time strictly before `time`.
    func end(before time: Date) -> Int {
        var index = endIndex
        while index > startIndex, self[index - 1].time >= time { index -= 1 }
        return index
    }

    /// The records in the window (`time` − `window`, `time`], as a range of indices.
    func window(_ window: TimeInterval, endingAt time: Date) -> Range<Int> {
        let end = end(atOrBefore: time)
        return start(after: time.addingTimeInterval(-window), from: end)..<end
    }

    /// The first index at or below `end` whose record lies strictly after `cutoff`.
    func start(after cutoff: Date, from end: Int) -> Int {
        var index = end
        while index > startIndex, self[index - 1].time > cutoff { index -= 1 }
        return index
    }

    /// The records with a time in [`earliest`, `latest`], both ends included.
    func indices(from earliest: Date, through latest: Date) -> Range<Int> {
        let end = end(atOrBefore: latest)
        var start = end
        while start > startIndex, self[start - 1].time >= earliest { start -= 1 }
        return start..<end
    }
}
