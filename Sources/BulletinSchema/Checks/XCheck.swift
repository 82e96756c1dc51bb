/// BorderNet's own checks, named by the `x-check` keyword of a schema, for what a regular
/// expression cannot verify (check digits, writing systems).
public enum XCheck: String, Sendable, CaseIterable, Codable {
    /// An ICAO Doc 9303 machine-readable zone, given as its array of lines (TD1: 3×30,
    /// TD2: 2×36, TD3: 2×44; visas MRV-A/MRV-B too), with every check digit verified.
    case mrz
    /// An ISO 3779 vehicle identification number of 17 characters; the check digit (position 9,
    /// ISO 3779 / 49 CFR 565) is verified where the format has one: North America and China.
    case vin
    /// An IMO ship identification number (`IMO 9074729` or `9074729`) with its check digit.
    case imo
    /// Text written in Arabic script (at least one Arabic letter, no Latin letter).
    case arabicScript = "arabic-script"
    /// Text written in Latin script (at least one Latin letter, no Arabic letter).
    case latinScript = "latin-script"

    /// Runs the check on `value`; an empty answer means the value passes.
    func findings(for value: JSONValue) -> [CheckFinding] {
        switch self {
        case .mrz: return MachineReadableZone.findings(for: value)
        case .vin:
            guard let text = value.stringValue else { return [CheckFinding(.notApplicable(expected: .string))] }
            return VehicleIdentificationNumber.findings(for: text)
        case .imo:
            guard let text = value.stringValue else { return [CheckFinding(.notApplicable(expected: .string))] }
            return IMONumber.findings(for: text)
        case .arabicScript, .latinScript:
            guard let text = value.stringValue else { return [CheckFinding(.notApplicable(expected: .string))] }
            return WritingSystem.findings(for: text, expected: self == .arabicScript ? .arabic : .latin)
        }
    }
}

/// One problem found by an ``XCheck``, possibly inside the checked value (an MRZ line).
struct CheckFinding: Sendable, Equatable {
    let problem: CheckProblem
    /// The array index inside the checked value the problem is about, if any.
    let element: Int?

    init(_ problem: CheckProblem, element: Int? = nil) {
        self.problem = problem
        self.element = element
    }
}
