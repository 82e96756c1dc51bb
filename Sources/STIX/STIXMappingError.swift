/// Why a bulletin could not be mapped to STIX. A stored bulletin was validated when it arrived,
/// so these mean a body that is not a bulletin of the schemas this version reads.
public enum STIXMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value is not a JSON object.
    case notAnObject
    /// A member the mapping needs is missing or of the wrong type.
    case missingMember(String)
    /// A member has a value the mapping cannot read (a date-time with no valid RFC 3339 form, an
    /// unknown TLP).
    case invalidValue(member: String, value: String)
    /// The bulletin would give more objects than ``STIXMapper/maximumObjectsPerBulletin``.
    case tooManyObjects(limit: Int)

    public var description: String {
        switch self {
        case .notAnObject:
            return "the bulletin is not a JSON object; export only bulletins the schemas validate"
        case .missingMember(let name):
            return
                "the bulletin has no valid \"\(name)\"; export only issued bulletins the schemas validate (a draft has no id)"
        case .invalidValue(let member, let value):
            return
                "the bulletin's \"\(member)\" (\(value.prefix(60))) cannot be mapped; check it with `bordernet schema validate`"
        case .tooManyObjects(let limit):
            return "the bulletin would give more than \(limit) STIX objects; it is refused rather than cut"
        }
    }
}
