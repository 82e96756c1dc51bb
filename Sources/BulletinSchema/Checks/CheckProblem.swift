/// What an ``XCheck`` found wrong, precise enough for an officer to correct the transcription.
public enum CheckProblem: Sendable, Equatable, Codable {
    /// The check was applied to a value of the wrong JSON type.
    case notApplicable(expected: JSONType)
    /// The MRZ does not have a known shape; `lineLengths` are the lengths found.
    case mrzShape(lineLengths: [Int])
    /// An MRZ character outside `A–Z`, `0–9` and `<`, at 1-based `position` of the line.
    case mrzCharacter(position: Int)
    /// An MRZ check digit does not match the field it protects.
    case mrzCheckDigit(field: MRZField, position: Int, found: String, computed: Int)
    /// A VIN that is not 17 characters long.
    case vinLength(found: Int)
    /// A VIN character that is not allowed (`I`, `O`, `Q`, lower case, punctuation).
    case vinCharacter(position: Int, found: String)
    /// The VIN check digit (position 9) does not match.
    case vinCheckDigit(found: String, computed: String)
    /// An IMO number that is not seven digits (optionally prefixed `IMO `).
    case imoFormat
    /// The IMO number's seventh digit does not match.
    case imoCheckDigit(found: Int, computed: Int)
    /// The text is not in the expected writing system.
    case writingSystem(expected: WritingSystem)
    /// The machine-readable zone gives `zone` for the document's `field` (`issuingState`,
    /// `documentNumber`) where the bulletin gives `stated`.
    case mrzDisagrees(field: String, zone: String, stated: String)

    /// The problem in `language`.
    public func message(in language: Language) -> String {
        switch self {
        case .notApplicable(let type):
            switch language {
            case .en: return "this check applies to a value of type \(type.name(in: .en))"
            case .fr: return "ce contrôle s'applique à une valeur de type \(type.name(in: .fr))"
            case .ar: return "ينطبق هذا التحقق على قيمة من نوع \(type.name(in: .ar))"
            }
        case .mrzShape(let lengths):
            let found = lengths.map(String.init).joined(separator: "+")
            switch language {
            case .en:
                return "a machine-readable zone has 3 lines of 30 (TD1), 2 of 36 (TD2) or 2 of 44 (TD3) characters; found line lengths \(found)"
            case .fr:
                return "une zone de lecture automatique compte 3 lignes de 30 (TD1), 2 de 36 (TD2) ou 2 de 44 (TD3) caractères ; longueurs trouvées \(found)"
            case .ar:
                return "تتكون منطقة القراءة الآلية من 3 أسطر من 30 حرفًا (TD1) أو سطرين من 36 (TD2) أو سطرين من 44 (TD3)؛ أطوال الأسطر الموجودة \(found)"
            }
        case .mrzCharacter(let position):
            switch language {
            case .en: return "character \(position) is not allowed in a machine-readable zone (only A–Z, 0–9 and <)"
            case .fr: return "le caractère \(position) n'est pas admis dans une zone de lecture automatique (seulement A–Z, 0–9 et <)"
            case .ar: return "الحرف رقم \(position) غير مسموح به في منطقة القراءة الآلية (المسموح: A–Z و0–9 و<)"
            }
        case let .mrzCheckDigit(field, position, found, computed):
            switch language {
            case .en:
                return "check digit of the \(field.name(in: .en)) at position \(position) is \(found), computed \(computed) (ICAO Doc 9303 weights 7-3-1)"
            case .fr:
                return "le chiffre de contrôle du champ « \(field.name(in: .fr)) » en position \(position) est \(found), calculé \(computed) (OACI Doc 9303, pondération 7-3-1)"
            case .ar:
                return "رقم التحقق الخاص بـ«\(field.name(in: .ar))» في الموضع \(position) هو \(found)، والمحسوب \(computed) (وثيقة الإيكاو 9303، الأوزان 7-3-1)"
            }
        case .vinLength(let found):
            switch language {
            case .en: return "a vehicle identification number has 17 characters; found \(found)"
            case .fr: return "un numéro d'identification de véhicule (VIN) compte 17 caractères ; trouvé \(found)"
            case .ar: return "يتكون رقم تعريف المركبة (VIN) من 17 حرفًا؛ الموجود \(found)"
            }
        case let .vinCharacter(position, found):
            switch language {
            case .en: return "character \(position) (\(found)) is not allowed in a VIN (digits and capitals except I, O, Q)"
            case .fr: return "le caractère \(position) (\(found)) n'est pas admis dans un VIN (chiffres et majuscules sauf I, O, Q)"
            case .ar: return "الحرف رقم \(position) (\(found)) غير مسموح به في رقم تعريف المركبة (أرقام وحروف كبيرة ما عدا I وO وQ)"
            }
        case let .vinCheckDigit(found, computed):
            switch language {
            case .en: return "VIN check digit (position 9) is \(found), computed \(computed)"
            case .fr: return "le chiffre de contrôle du VIN (position 9) est \(found), calculé \(computed)"
            case .ar: return "رقم التحقق في رقم تعريف المركبة (الموضع 9) هو \(found)، والمحسوب \(computed)"
            }
        case .imoFormat:
            switch language {
            case .en: return "an IMO ship number is seven digits, optionally preceded by \"IMO \""
            case .fr: return "un numéro OMI de navire compte sept chiffres, éventuellement précédés de « IMO »"
            case .ar: return "رقم المنظمة البحرية الدولية (IMO) للسفينة يتكون من سبعة أرقام، يمكن أن تسبقها «IMO »"
            }
        case let .imoCheckDigit(found, computed):
            switch language {
            case .en: return "IMO check digit is \(found), computed \(computed)"
            case .fr: return "le chiffre de contrôle OMI est \(found), calculé \(computed)"
            case .ar: return "رقم التحقق في رقم المنظمة البحرية الدولية هو \(found)، والمحسوب \(computed)"
            }
        case .writingSystem(let system):
            switch (system, language) {
            case (.arabic, .en): return "expected text in Arabic script, with no Latin letters"
            case (.arabic, .fr): return "texte attendu en écriture arabe, sans lettre latine"
            case (.arabic, .ar): return "المتوقع نص مكتوب بالحروف العربية دون حروف لاتينية"
            case (.latin, .en): return "expected text in Latin script, with no Arabic letters"
            case (.latin, .fr): return "texte attendu en écriture latine, sans lettre arabe"
            case (.latin, .ar): return "المتوقع نص مكتوب بالحروف اللاتينية دون حروف عربية"
            }
        case let .mrzDisagrees(field, zone, stated):
            switch language {
            case .en:
                return "the machine-readable zone (mrz) gives \(zone) for \"\(field)\", the bulletin gives \(stated); if the document's zone really disagrees with it, give the zone as \"mrzAsPrinted\""
            case .fr:
                return "la zone de lecture automatique (mrz) indique \(zone) pour « \(field) », le bulletin indique \(stated) ; si la zone du document le contredit réellement, donnez-la dans « mrzAsPrinted »"
            case .ar:
                return "تذكر منطقة القراءة الآلية (mrz) القيمة \(zone) للحقل «\(field)»، وتذكر النشرة \(stated)؛ إذا كانت منطقة الوثيقة تخالفه فعلًا فأدرجها في «mrzAsPrinted»"
            }
        }
    }
}
