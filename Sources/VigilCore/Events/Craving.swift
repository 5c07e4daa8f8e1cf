/// `care.craving.v1`: a self-rated craving on the 0–10 single-item scale.
public struct Craving: Sendable, Equatable {
    public var score: Double
    /// Lower-case substance name, when the patient gave one.
    public var substance: String?

    public init(score: Double, substance: String? = nil) {
        self.score = score
        self.substance = substance
    }
}
