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
    /// On a document's object: its machine-readable zone (member `mrz`) names the same issuing
    /// state as `issuingState` and the same document number as `documentNumber`, where those
    /// members are present (ICAO Doc 9303 positions; `D` is Germany's code for `DEU`).
    case mrzAgreement = "mrz-agreement"

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
        case .mrzAgreement:
            guard value.objectValue != nil else { return [CheckFinding(.notApplicable(expected: .object))] }
            return MachineReadableZone.agreementFindings(for: value)
        }
    }
}

/// One problem found by an ``XCheck``, possibly inside the checked value (an MRZ line, a member).
struct CheckFinding: Sendable, Equatable {
    let problem: CheckProblem
    /// Where inside the checked value the problem is, as pointer tokens relative to it; empty for
    /// the value itself.
    let path: [String]

    /// A problem about the element at `element` of the checked array, or the value itself.
    init(_ problem: CheckProblem, element: Int? = nil) {
        self.problem = problem
        self.path = element.map { [String($0)] } ?? []
    }

    /// A problem about the member `member` of the checked object.
    init(_ problem: CheckProblem, member: String) {
        self.problem = problem
        self.path = [member]
    }

    /// The array index the problem is about, if its path is one.
    var element: Int? {
        path.count == 1 ? Int(path[0]) : nil
    }
}
