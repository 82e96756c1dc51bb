/// The writing systems a name or text field may be required to use.
public enum WritingSystem: String, Sendable, Codable {
    /// Arabic script (blocks Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms).
    case arabic
    /// Latin script (basic and accented Latin letters).
    case latin

    /// Whether `scalar` is a letter of this writing system.
    public func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .arabic:
            switch scalar.value {
            case 0x0620...0x064A, 0x066E...0x06D3, 0x06D5, 0x06FA...0x06FC, 0x0750...0x077F,
                0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                return true
            default: return false
            }
        case .latin:
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x1E00...0x1EFF:
                return true
            default: return false
            }
        }
    }

    static func findings(for text: String, expected: WritingSystem) -> [CheckFinding] {
        let other: WritingSystem = expected == .arabic ? .latin : .arabic
        let scalars = text.unicodeScalars
        guard scalars.contains(where: expected.contains), !scalars.contains(where: other.contains) else {
            return [CheckFinding(.writingSystem(expected: expected))]
        }
        return []
    }
}
