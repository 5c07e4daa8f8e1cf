extension Array {
    /// Makes room for one more element growing by a quarter (at least one) instead of doubling.
    ///
    /// A patient's lists live as long as the patient is held and are appended to a few times a day: doubling leaves
    /// a quarter of their capacity unused on average (half just after growing), which for a caseload of long
    /// histories is most of the memory the state could save. Growth by a quarter stays geometric, so appending
    /// remains amortised constant time.
    mutating func reserveCapacityForOneMore() {
        guard count == capacity else { return }
        reserveCapacity(count + Swift.max(1, count / 4))
    }
}
