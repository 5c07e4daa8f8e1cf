extension Double {
    /// The number as a clinician would write it: `8` rather than `8.0`, `7.5` as is.
    public var compact: String {
        if rounded() == self, abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}
