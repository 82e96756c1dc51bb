/// The Traffic Light Protocol 2.0 label of a bulletin: how far its recipients may share it.
///
/// The label travels in clear in the envelope header (one byte) so that a node can enforce onward
/// sharing rules without decrypting; the code values are fixed by docs/PROTOCOL.md §4.
public enum TLP: UInt8, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// `TLP:CLEAR` — no limit on disclosure.
    case clear = 0
    /// `TLP:GREEN` — the recipients' community, not public channels.
    case green = 1
    /// `TLP:AMBER` — the recipients' organisations and their clients who need to know.
    case amber = 2
    /// `TLP:AMBER+STRICT` — the recipients' organisations only.
    case amberStrict = 3
    /// `TLP:RED` — the named recipients only.
    case red = 4

    /// The label as written after `TLP:` (and in JSON): `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`, `RED`.
    public var label: String {
        switch self {
        case .clear: "CLEAR"
        case .green: "GREEN"
        case .amber: "AMBER"
        case .amberStrict: "AMBER+STRICT"
        case .red: "RED"
        }
    }

    /// The TLP of `label` (`AMBER+STRICT` or `TLP:AMBER+STRICT`, upper case), or an error.
    public init(label: String) throws(FormatError) {
        let bare = label.hasPrefix("TLP:") ? String(label.dropFirst(4)) : label
        guard let match = TLP.allCases.first(where: { $0.label == bare }) else {
            throw FormatError.invalidField(
                field: "TLP", reason: "“\(label)” is not one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED")
        }
        self = match
    }

    /// Reads the one-byte code; codes above 4 are refused.
    init(reading reader: inout ByteReader) throws(FormatError) {
        let code = try reader.readUInt8(field: "TLP")
        guard let tlp = TLP(rawValue: code) else {
            throw FormatError.invalidField(field: "TLP", reason: "code \(code) is not 0…4")
        }
        self = tlp
    }

    /// `TLP:` and the label.
    public var description: String { "TLP:" + label }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(label: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }
}
