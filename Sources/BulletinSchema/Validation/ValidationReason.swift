/// What was expected and what was found, for each way a bulletin can fail.
public enum ValidationReason: Sendable, Equatable, Codable {
    /// The bulletin is larger than the limit.
    case tooLarge(limit: Int, found: Int)
    /// The bytes are not strict JSON.
    case malformedJSON(detail: String)
    /// The value has the wrong JSON type.
    case wrongType(expected: [JSONType], found: JSONType)
    /// A required member is missing.
    case missingMember(name: String)
    /// A member the schema does not declare (objects are closed).
    case unknownMember(name: String)
    /// Fewer members than `minProperties`.
    case tooFewMembers(minimum: Int, found: Int)
    /// The value is not one of the enumerated values.
    case notInEnumeration(allowed: [String], found: String)
    /// The value differs from the constant.
    case notConstant(expected: String, found: String)
    /// The string does not match the pattern.
    case patternMismatch(pattern: String, found: String)
    /// The string is not in the format.
    case invalidFormat(format: StringFormat, found: String)
    /// The number is below the minimum.
    case belowMinimum(minimum: Double, found: String)
    /// The number is above the maximum.
    case aboveMaximum(maximum: Double, found: String)
    /// The string has fewer characters (Unicode code points) than the minimum.
    case tooShort(minimum: Int, found: Int)
    /// The string has more characters (Unicode code points) than the maximum.
    case tooLong(maximum: Int, found: Int)
    /// The array has fewer elements than the minimum.
    case tooFewItems(minimum: Int, found: Int)
    /// The array has more elements than the maximum.
    case tooManyItems(maximum: Int, found: Int)
    /// Two elements of an array that must be unique are equal (0-based indices).
    case duplicateItems(first: Int, second: Int)
    /// Not exactly one alternative of a `oneOf` matched.
    case oneOfMismatch(alternatives: Int, matched: Int)
    /// A BorderNet check (`x-check`) failed.
    case checkFailed(check: XCheck, problem: CheckProblem)
    /// The bulletin's schema version has a newer minor version than this node knows.
    case unsupportedSchemaVersion(found: String, known: String)
    /// The bulletin's schema major version is not the one this node implements.
    case unknownMajorVersion(found: String, known: String)
    /// The incident type has no schema on this node.
    case unknownIncidentType(found: String, known: [String])
    /// The bulletin id is present in a draft (the node assigns it) or absent in an issued bulletin.
    case identifierStage(stage: BulletinStage)
    /// The text contains a code point refused in any bulletin text (``DisplayText/isForbidden(_:)``):
    /// a control, a line or paragraph separator, a bidirectional override or isolate; `position` is
    /// 1-based, in code points.
    case forbiddenCharacter(codePoint: UInt32, position: Int)
    /// A single-line field (no `"x-text": "multiline"`) contains a LINE FEED or a CHARACTER
    /// TABULATION; `position` is 1-based, in code points.
    case lineBreakInSingleLineText(codePoint: UInt32, position: Int)
    /// `x-ordered`: this member is greater (a number) or later (a date-time) than the member
    /// `bound`, whose value is `boundValue`.
    case outOfOrder(bound: String, boundValue: String, found: String, isTime: Bool)
    /// `x-distinct`: this member equals the member `other`, e.g. a bulletin that corrects itself.
    case notDistinct(other: String, found: String)
    /// `x-since`: the member (or incident type) `member` was added in version `since` (`"1.1"`);
    /// the bulletin declares the earlier `declared` (`"1.0.0"`), which a recipient reading only
    /// that version would refuse.
    case addedInLaterVersion(member: String, since: String, declared: String)
    /// `x-local-reference`: a second item of the details uses the `localId` already given at `first`.
    /// `name` is the identifier as JSON text (quoted and escaped), ready to quote in a message.
    case duplicateLocalId(name: String, first: String)
    /// `x-local-reference`: `linkedTo` names a `localId` no item of the details has.
    case unknownLocalId(name: String)

    /// The reason in `language`.
    public func message(in language: Language) -> String {
        let text = Phrases(language)
        switch self {
        case let .tooLarge(limit, found):
            return text.pick(
                en: "a bulletin is at most \(limit) bytes of JSON; this one is \(found) bytes — move attachments out of the bulletin",
                fr: "un bulletin fait au plus \(limit) octets de JSON ; celui-ci en fait \(found) — sortez les pièces jointes du bulletin",
                ar: "لا يتجاوز حجم النشرة \(ArabicCount.bytes.phrase(limit)) بصيغة JSON؛ حجم هذه النشرة \(ArabicCount.bytes.phrase(found)) — أخرِج المرفقات من النشرة")
        case .malformedJSON(let detail):
            return text.pick(
                en: "not valid JSON: \(detail)",
                fr: "JSON invalide : \(detail)",
                ar: "نص JSON غير صالح: \(detail)")
        case let .wrongType(expected, found):
            let wanted = expected.map { $0.name(in: language) }.joined(separator: text.or)
            return text.expectedFound(wanted, found.name(in: language))
        case .missingMember(let name):
            return text.pick(
                en: "required member \"\(name)\" is missing",
                fr: "le champ obligatoire « \(name) » est absent",
                ar: "الحقل الإلزامي «\(name)» غير موجود")
        case .unknownMember(let name):
            return text.pick(
                en: "member \"\(name)\" is not defined by the schema (unknown fields are refused; check the spelling)",
                fr: "le champ « \(name) » n'est pas défini par le schéma (les champs inconnus sont refusés ; vérifiez l'orthographe)",
                ar: "الحقل «\(name)» غير معرَّف في المخطط (تُرفض الحقول غير المعروفة؛ تحقّق من الإملاء)")
        case let .tooFewMembers(minimum, found):
            return text.pick(
                en: "at least \(minimum) member(s) expected, found \(found)",
                fr: "au moins \(minimum) champ(s) attendu(s), trouvé \(found)",
                ar: "المتوقع \(ArabicCount.fields.phrase(minimum)) على الأقل، الموجود \(found)")
        case let .notInEnumeration(allowed, found):
            let shown = allowed.count <= 20 ? allowed.joined(separator: ", ") : allowed.prefix(12).joined(separator: ", ") + ", … (\(allowed.count))"
            return text.expectedFound(text.oneOf + shown, found)
        case let .notConstant(expected, found):
            return text.expectedFound(expected, found)
        case let .patternMismatch(pattern, found):
            return text.pick(
                en: "\(found) does not match the pattern \(pattern)",
                fr: "\(found) ne correspond pas au motif \(pattern)",
                ar: "القيمة \(found) لا تطابق النمط \(pattern)")
        case let .invalidFormat(format, found):
            return text.expectedFound(format.name(in: language), found)
        case let .belowMinimum(minimum, found):
            return text.expectedFound(text.atLeast + Phrases.number(minimum), found)
        case let .aboveMaximum(maximum, found):
            return text.expectedFound(text.atMost + Phrases.number(maximum), found)
        case let .tooShort(minimum, found):
            return text.pick(
                en: "at least \(minimum) character(s) expected, found \(found)",
                fr: "au moins \(minimum) caractère(s) attendu(s), trouvé \(found)",
                ar: "المتوقع \(ArabicCount.characters.phrase(minimum)) على الأقل، الموجود \(found)")
        case let .tooLong(maximum, found):
            return text.pick(
                en: "at most \(maximum) character(s) expected, found \(found)",
                fr: "au plus \(maximum) caractère(s) attendu(s), trouvé \(found)",
                ar: "المتوقع \(ArabicCount.characters.phrase(maximum)) على الأكثر، الموجود \(found)")
        case let .tooFewItems(minimum, found):
            return text.pick(
                en: "at least \(minimum) element(s) expected, found \(found)",
                fr: "au moins \(minimum) élément(s) attendu(s), trouvé \(found)",
                ar: "المتوقع \(ArabicCount.elements.phrase(minimum)) على الأقل، الموجود \(found)")
        case let .tooManyItems(maximum, found):
            return text.pick(
                en: "at most \(maximum) element(s) expected, found \(found)",
                fr: "au plus \(maximum) élément(s) attendu(s), trouvé \(found)",
                ar: "المتوقع \(ArabicCount.elements.phrase(maximum)) على الأكثر، الموجود \(found)")
        case let .duplicateItems(first, second):
            return text.pick(
                en: "elements must be unique; elements \(first) and \(second) are equal",
                fr: "les éléments doivent être uniques ; les éléments \(first) et \(second) sont identiques",
                ar: "يجب أن تكون العناصر غير مكررة؛ العنصران \(first) و\(second) متطابقان")
        case let .oneOfMismatch(alternatives, matched):
            return text.pick(
                en: "exactly one of \(alternatives) alternatives must match; \(matched) matched",
                fr: "exactement une des \(alternatives) variantes doit correspondre ; \(matched) correspondent",
                ar: "يجب أن يطابق بديل واحد فقط من أصل \(ArabicCount.alternatives.phrase(alternatives))؛ عدد البدائل المطابقة \(matched)")
        case let .checkFailed(_, problem):
            return problem.message(in: language)
        case let .unsupportedSchemaVersion(found, known):
            return text.pick(
                en: "schema version \(found) is not known to this node, which knows \(known) (same major version, same or earlier minor); update the node's Schemas/ or ask the sender to use \(known)",
                fr: "la version de schéma \(found) n'est pas connue de ce nœud, qui connaît \(known) (même version majeure, version mineure égale ou antérieure) ; mettez à jour Schemas/ sur ce nœud ou demandez à l'émetteur d'utiliser \(known)",
                ar: "إصدار المخطط \(found) غير معروف لدى هذه العقدة، التي تعرف الإصدار \(known) (نفس الإصدار الرئيسي، وإصدار فرعي مساوٍ أو أقدم)؛ حدِّث مجلد Schemas/ في العقدة أو اطلب من المرسل استخدام \(known)")
        case let .unknownMajorVersion(found, known):
            return text.pick(
                en: "schema version \(found) belongs to a major version this node does not implement (it implements \(known)); a new major version changes the meaning of fields, so the bulletin is refused until this node is upgraded",
                fr: "la version de schéma \(found) relève d'une version majeure que ce nœud n'implémente pas (il implémente \(known)) ; une nouvelle version majeure change le sens des champs, le bulletin est donc refusé jusqu'à la mise à niveau du nœud",
                ar: "إصدار المخطط \(found) ينتمي إلى إصدار رئيسي لا تطبّقه هذه العقدة (تطبّق \(known))؛ الإصدار الرئيسي الجديد يغيّر معاني الحقول، لذا تُرفض النشرة إلى أن تُحدَّث العقدة")
        case let .unknownIncidentType(found, known):
            return text.expectedFound(text.oneOf + known.joined(separator: ", "), found)
        case .identifierStage(let stage):
            switch stage {
            case .draft:
                return text.pick(
                    en: "a draft must not carry \"id\": the node assigns the bulletin id when it is posted",
                    fr: "un brouillon ne doit pas porter « id » : le nœud attribue l'identifiant du bulletin lors de sa publication",
                    ar: "يجب ألا تحمل المسودة الحقل «id»: تُسند العقدة معرِّف النشرة عند نشرها")
            case .issued:
                return text.pick(
                    en: "an issued bulletin must carry the \"id\" assigned by its origin node",
                    fr: "un bulletin émis doit porter l'« id » attribué par son nœud d'origine",
                    ar: "يجب أن تحمل النشرة الصادرة المعرِّف «id» الذي أسندته عقدة المنشأ")
            }
        case let .forbiddenCharacter(codePoint, position):
            let character = Phrases.character(codePoint)
            return text.pick(
                en: "\(character) is not allowed in text (character \(position)): controls, line and paragraph separators and bidirectional overrides and isolates can make text display differently from what it says",
                fr: "\(character) n'est pas admis dans un texte (caractère \(position)) : les caractères de commande, les séparateurs de ligne et de paragraphe et les forçages et isolats bidirectionnels peuvent faire afficher autre chose que ce qui est écrit",
                ar: "المحرف \(character) غير مسموح به في النص (المحرف رقم \(position)): محارف التحكم وفواصل الأسطر والفقرات ومحارف فرض الاتجاه وعزله قد تجعل النص يظهر بخلاف ما كُتب")
        case let .lineBreakInSingleLineText(codePoint, position):
            let character = Phrases.character(codePoint)
            return text.pick(
                en: "\(character) is not allowed in a single-line field (character \(position)); only multi-line fields such as the summary may contain line feeds and tabs",
                fr: "\(character) n'est pas admis dans un champ d'une seule ligne (caractère \(position)) ; seuls les champs multilignes comme le résumé peuvent contenir des sauts de ligne et des tabulations",
                ar: "المحرف \(character) غير مسموح به في حقل من سطر واحد (المحرف رقم \(position))؛ لا تقبل فواصل الأسطر والجدولة إلا الحقول متعددة الأسطر مثل الملخص")
        case let .outOfOrder(bound, boundValue, found, isTime):
            if isTime {
                return text.pick(
                    en: "\(found) is later than \"\(bound)\" (\(boundValue)); it must be the same time or earlier",
                    fr: "\(found) est postérieur à « \(bound) » (\(boundValue)) ; il doit lui être égal ou antérieur",
                    ar: "القيمة \(found) لاحقة للحقل «\(bound)» (\(boundValue))؛ يجب أن تكون مساوية له أو سابقة")
            }
            return text.pick(
                en: "\(found) is greater than \"\(bound)\" (\(boundValue)); it must be at most that",
                fr: "\(found) est supérieur à « \(bound) » (\(boundValue)) ; il doit lui être inférieur ou égal",
                ar: "القيمة \(found) أكبر من الحقل «\(bound)» (\(boundValue))؛ يجب ألا تتجاوزه")
        case let .notDistinct(other, found):
            return text.pick(
                en: "must differ from \"\(other)\" (both are \(found))",
                fr: "doit différer de « \(other) » (les deux valent \(found))",
                ar: "يجب أن يختلف عن «\(other)» (كلاهما \(found))")
        case let .addedInLaterVersion(member, since, declared):
            let name = JSONValue.string(member).abbreviated()
            return text.pick(
                en: "\(name) was added in schema version \(since); this bulletin declares \(declared): declare schemaVersion \(since).0 (if every recipient reads it) or leave \(name) out",
                fr: "\(name) a été ajouté dans la version \(since) des schémas ; ce bulletin déclare \(declared) : déclarez schemaVersion \(since).0 (si tous les destinataires la lisent) ou retirez \(name)",
                ar: "أُضيف \(name) في الإصدار \(since) من المخططات، وهذه النشرة تصرّح بالإصدار \(declared): صرّح بالإصدار \(since).0 (إن كان جميع المتلقين يقرؤونه) أو احذف \(name)")
        case let .duplicateLocalId(name, first):
            return text.pick(
                en: "localId \(name) is already used at \(first); each item of a bulletin has its own",
                fr: "le localId \(name) est déjà utilisé en \(first) ; chaque élément du bulletin a le sien",
                ar: "المعرِّف المحلي \(name) مستعمل من قبل في \(first)؛ لكل عنصر في النشرة معرِّفه الخاص")
        case .unknownLocalId(let name):
            return text.pick(
                en: "no item of this bulletin has localId \(name); linkedTo may only name items the bulletin describes",
                fr: "aucun élément de ce bulletin n'a le localId \(name) ; linkedTo ne peut désigner que des éléments décrits dans le bulletin",
                ar: "لا يوجد في هذه النشرة عنصر معرِّفه المحلي \(name)؛ لا يشير linkedTo إلا إلى عناصر تصفها النشرة")
        }
    }
}

/// Small phrase book shared by the messages, so each construction is translated once.
private struct Phrases {
    let language: Language

    init(_ language: Language) {
        self.language = language
    }

    func pick(en: String, fr: String, ar: String) -> String {
        switch language {
        case .en: return en
        case .fr: return fr
        case .ar: return ar
        }
    }

    func expectedFound(_ expected: String, _ found: String) -> String {
        pick(en: "expected \(expected), found \(found)",
             fr: "attendu : \(expected) ; trouvé : \(found)",
             ar: "المتوقع: \(expected)؛ الموجود: \(found)")
    }

    var or: String { pick(en: " or ", fr: " ou ", ar: " أو ") }
    var oneOf: String { pick(en: "one of ", fr: "une valeur parmi ", ar: "إحدى القيم ") }
    var atLeast: String { pick(en: "a number ≥ ", fr: "un nombre ≥ ", ar: "عدد ≥ ") }
    var atMost: String { pick(en: "a number ≤ ", fr: "un nombre ≤ ", ar: "عدد ≤ ") }

    /// `U+202E RIGHT-TO-LEFT OVERRIDE`, for the text rule's messages.
    static func character(_ codePoint: UInt32) -> String {
        guard let scalar = Unicode.Scalar(codePoint) else { return "U+" + String(codePoint, radix: 16, uppercase: true) }
        return DisplayText.described(scalar)
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
