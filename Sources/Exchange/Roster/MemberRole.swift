/// What a roster member is in the exchange. The protocol itself only looks at links; the role
/// tells tools which links to propose by default and tells people what the member is.
public enum MemberRole: UInt8, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// A state of the Rabat Declaration: gets default links to its land and sea neighbours.
    case member = 1
    /// A partner or observer state (e.g. ES, FR, IT, MT, PT): only the links the secretariat
    /// writes explicitly, never by default.
    case partner = 2
    /// The secretariat's own node (collects tree heads, reconciles links); at most one per roster.
    case secretariat = 3

    /// `member`, `partner` or `secretariat` (also the JSON spelling).
    public var description: String {
        switch self {
        case .member: "member"
        case .partner: "partner"
        case .secretariat: "secretariat"
        }
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let role = MemberRole.allCases.first(where: { $0.description == text }) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "role “\(text)” is not member, partner or secretariat")
        }
        self = role
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
