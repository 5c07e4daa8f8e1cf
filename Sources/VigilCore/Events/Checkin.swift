/// `care.checkin.v1`: a patient's periodic check-in; every field is optional.
public struct Checkin: Sendable, Equatable, Codable {
    public var mood: Int?
    public var stress: Int?
    public var sleepHours: Double?
    public var substanceUse: SubstanceUse?
    public var cueExposure: Bool?
    public var withdrawal: Withdrawal?
    public var phq9Item9: Int?
    public var helpRequested: Bool?

    public init(
        mood: Int? = nil, stress: Int? = nil, sleepHours: Double? = nil, substanceUse: SubstanceUse? = nil,
        cueExposure: Bool? = nil, withdrawal: Withdrawal? = nil, phq9Item9: Int? = nil, helpRequested: Bool? = nil
    ) {
        self.mood = mood
        self.stress = stress
        self.sleepHours = sleepHours
        self.substanceUse = substanceUse
        self.cueExposure = cueExposure
        self.withdrawal = withdrawal
        self.phq9Item9 = phq9Item9
        self.helpRequested = helpRequested
    }

    /// Use since the last check-in.
    public struct SubstanceUse: Sendable, Equatable, Codable {
        public var used: Bool
        public var substances: [String]

        public init(used: Bool, substances: [String] = []) {
            self.used = used
            self.substances = substances
        }
    }

    /// A clinician-scored withdrawal scale.
    public struct Withdrawal: Sendable, Equatable, Codable {
        public enum Scale: String, Sendable, Codable { case ciwaAr = "CIWA-Ar", cows = "COWS" }
        public var scale: Scale
        public var score: Double
        /// Seizure, hallucinations or confusion.
        public var complicated: Bool

        public init(scale: Scale, score: Double, complicated: Bool = false) {
            self.scale = scale
            self.score = score
            self.complicated = complicated
        }
    }
}
