/// The kinds of identifier a bulletin can name and that correlation and watch-lists match exactly.
public enum IdentifierKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A travel or identity document: number with its issuing state.
    case document
    /// A vehicle identification number (ISO 3779, 17 characters).
    case vin
    /// A vessel's IMO number (7 digits).
    case imo
    /// A vessel's MMSI (9 digits).
    case mmsi
    /// A registration plate with its country.
    case plate
    /// A phone number (digits, international form when the bulletin gives it).
    case phone
    /// A handset's IMEI (15 digits).
    case imei
    /// An aircraft's registration mark.
    case aircraft
}

/// One identifier a bulletin names, normalised so that two spellings of it compare equal
/// (`"IMO 9074729"` and `"9074729"`; `"ab 123-456"` and `"AB123456"`).
public struct ObservableIdentifier: Sendable, Hashable, Codable {
    /// What it identifies.
    public let kind: IdentifierKind
    /// The normalised value, with its issuing state or country first where the kind has one
    /// (`"MA:AB123456"`); the value an index stores and compares.
    public let key: String
    /// The value as the bulletin wrote it (for a person reading why two bulletins are linked).
    public let written: String

    /// An identifier from already-normalised parts (see the normalising constructors).
    public init(kind: IdentifierKind, key: String, written: String) {
        self.kind = kind
        self.key = key
        self.written = written
    }
}
