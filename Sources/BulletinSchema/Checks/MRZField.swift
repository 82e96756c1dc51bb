/// A field of an ICAO Doc 9303 machine-readable zone that carries a check digit.
public enum MRZField: String, Sendable, Codable, CaseIterable {
    case documentNumber
    case birthDate
    case expiryDate
    case personalNumber
    case composite

    /// The field's name in `language`.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.documentNumber, .en): return "document number"
        case (.documentNumber, .fr): return "numéro du document"
        case (.documentNumber, .ar): return "رقم الوثيقة"
        case (.birthDate, .en): return "date of birth"
        case (.birthDate, .fr): return "date de naissance"
        case (.birthDate, .ar): return "تاريخ الميلاد"
        case (.expiryDate, .en): return "date of expiry"
        case (.expiryDate, .fr): return "date d'expiration"
        case (.expiryDate, .ar): return "تاريخ انتهاء الصلاحية"
        case (.personalNumber, .en): return "personal number"
        case (.personalNumber, .fr): return "numéro personnel"
        case (.personalNumber, .ar): return "الرقم الشخصي"
        case (.composite, .en): return "composite check"
        case (.composite, .fr): return "contrôle composite"
        case (.composite, .ar): return "التحقق المركّب"
        }
    }
}
