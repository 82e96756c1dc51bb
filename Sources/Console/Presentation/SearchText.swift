import BulletinSchema
import Observables

/// The words of the search page, the linked bulletins of a bulletin page and the watch-lists, in
/// Arabic, French and English (templates read them as `{{s.search}}`, beside ``ConsoleText``'s `t`).
enum SearchText: String, CaseIterable {
    case search, searchHeading, searchWords, searchWordsHint, since, until, crossingPoint, identifier, identifierValue
    case identifierHint, searchButton, noCriteria, noHits, indexMissing, indexUnreadable, matchedBecause, next
    case refused, textTooLong, unknownType, badOrigin, badDate, datesReversed, unknownGroup, unknownTLP, unknownPoint
    case unknownIdentifierKind, identifierValueTooLong, identifierIncomplete, badCursor, unreadable
    case linkedBulletins, score, why
    case watch, watchHeading, watchExplanation, watchKind, watchValue, watchLabel, watchAdd, watchRemove, noEntries, alerts, noAlerts
    case watchRefused, watchValueTooLong, watchLabelInvalid, entry, watchKindUnknown

    var text: LocalizedText {
        switch self {
        case .search: return LocalizedText(ar: "بحث", fr: "Recherche", en: "Search")
        case .searchHeading: return LocalizedText(ar: "البحث في النشرات", fr: "Rechercher dans les bulletins", en: "Search the bulletins")
        case .searchWords: return LocalizedText(ar: "كلمات أو اسم", fr: "Mots ou nom", en: "Words or a name")
        case .searchWordsHint:
            return LocalizedText(
                ar: "بأي حرف، عربي أو لاتيني: يُبحث عن الاسم أيضًا بين الأشخاص المذكورين في النشرات.",
                fr: "En lettres arabes ou latines : le nom est aussi cherché parmi les personnes que nomment les bulletins.",
                en: "In Arabic or Latin letters: the name is also looked for among the persons the bulletins name.")
        case .since: return LocalizedText(ar: "من تاريخ", fr: "Depuis le", en: "From")
        case .until: return LocalizedText(ar: "إلى تاريخ", fr: "Jusqu'au", en: "Until")
        case .crossingPoint: return LocalizedText(ar: "نقطة العبور", fr: "Point de passage", en: "Crossing point")
        case .identifier: return LocalizedText(ar: "نوع المعرّف", fr: "Type d'identifiant", en: "Identifier kind")
        case .identifierValue: return LocalizedText(ar: "قيمة المعرّف", fr: "Valeur de l'identifiant", en: "Identifier value")
        case .identifierHint:
            return LocalizedText(
                ar: "الوثيقة مع دولة الإصدار: MA:AB123456", fr: "Un document avec son État de délivrance : MA:AB123456",
                en: "A document with its issuing state: MA:AB123456")
        case .searchButton: return LocalizedText(ar: "بحث", fr: "Rechercher", en: "Search")
        case .noCriteria:
            return LocalizedText(
                ar: "اكتب كلمات أو اسمًا، أو اختر معيارًا، ثم ابحث.", fr: "Tapez des mots ou un nom, ou choisissez un critère, puis recherchez.",
                en: "Type words or a name, or choose a criterion, then search.")
        case .noHits: return LocalizedText(ar: "لا توجد نتائج.", fr: "Aucun résultat.", en: "No results.")
        case .indexMissing:
            return LocalizedText(
                ar: "فهرس البحث غير موجود بعد: تبنيه العقدة من مخزنها وهي تعمل. أعد المحاولة بعد قليل.",
                fr: "L'index de recherche n'existe pas encore : le nœud le construit depuis son stockage pendant qu'il tourne. Réessayez dans un moment.",
                en: "The search index does not exist yet: the node builds it from its store while it runs. Try again in a moment.")
        case .indexUnreadable:
            return LocalizedText(
                ar: "تعذّرت قراءة فهرس البحث. أعد المحاولة لاحقًا؛ إن تكرر ذلك فأخبر مشغّل العقدة.",
                fr: "L'index de recherche n'a pas pu être lu. Réessayez plus tard ; si cela se répète, prévenez l'opérateur du nœud.",
                en: "The search index could not be read. Try again later; if it happens again, tell the node's operator.")
        case .matchedBecause: return LocalizedText(ar: "سبب المطابقة", fr: "Trouvé par", en: "Matched by")
        case .next: return LocalizedText(ar: "النتائج التالية", fr: "Résultats suivants", en: "More results")
        case .refused: return LocalizedText(ar: "لم يُنفَّذ البحث:", fr: "Recherche refusée :", en: "Search refused:")
        case .textTooLong:
            return LocalizedText(
                ar: "النص طويل جدًا (500 حرف على الأكثر).", fr: "Le texte est trop long (500 caractères au plus).",
                en: "The text is too long (500 characters at most).")
        case .unknownType:
            return LocalizedText(ar: "نوع الواقعة غير معروف.", fr: "Type d'incident inconnu.", en: "Unknown incident type.")
        case .badOrigin:
            return LocalizedText(
                ar: "دولة المنشأ رمز من حرفين (MA).", fr: "L'État d'origine est un code de deux lettres (MA).",
                en: "The origin state is a two-letter code (MA).")
        case .badDate:
            return LocalizedText(
                ar: "التاريخ بصيغة YYYY-MM-DD.", fr: "Une date s'écrit AAAA-MM-JJ.", en: "A date is written YYYY-MM-DD.")
        case .datesReversed:
            return LocalizedText(
                ar: "تاريخ البداية بعد تاريخ النهاية.", fr: "La date de début est après la date de fin.", en: "The start date is after the end date.")
        case .unknownGroup: return LocalizedText(ar: "فريق العمل غير معروف.", fr: "Groupe de travail inconnu.", en: "Unknown working group.")
        case .unknownTLP: return LocalizedText(ar: "تصنيف TLP غير معروف.", fr: "Marquage TLP inconnu.", en: "Unknown TLP.")
        case .unknownPoint: return LocalizedText(ar: "نقطة العبور غير معروفة.", fr: "Point de passage inconnu.", en: "Unknown crossing point.")
        case .unknownIdentifierKind:
            return LocalizedText(ar: "نوع المعرّف غير معروف.", fr: "Type d'identifiant inconnu.", en: "Unknown identifier kind.")
        case .identifierValueTooLong:
            return LocalizedText(
                ar: "قيمة المعرّف طويلة جدًا (100 حرف على الأكثر).", fr: "La valeur de l'identifiant est trop longue (100 caractères au plus).",
                en: "The identifier value is too long (100 characters at most).")
        case .identifierIncomplete:
            return LocalizedText(
                ar: "اختر نوع المعرّف واكتب قيمته معًا.", fr: "Donnez le type de l'identifiant et sa valeur ensemble.",
                en: "Give the identifier's kind and its value together.")
        case .badCursor:
            return LocalizedText(
                ar: "رابط الصفحة التالية غير صالح: أعد البحث.", fr: "Le lien de la page suivante n'est pas valable : relancez la recherche.",
                en: "The next page's link is not valid: search again.")
        case .unreadable:
            return LocalizedText(
                ar: "تعذّرت قراءة عنوان البحث: ابحث من جديد من النموذج.", fr: "L'adresse de la recherche est illisible : recherchez de nouveau depuis le formulaire.",
                en: "The search's address could not be read: search again from the form.")
        case .watch: return LocalizedText(ar: "قوائم المراقبة", fr: "Listes de surveillance", en: "Watch-list")
        case .watchHeading: return LocalizedText(ar: "قائمة المراقبة الخاصة بي", fr: "Ma liste de surveillance", en: "My watch-list")
        case .watchExplanation:
            return LocalizedText(
                ar: "تُنبَّه حين تصل نشرة تطابق أحد المدخلات، ضمن ما يسمح لك تصنيفك بقراءته عند الإضافة وعند القراءة.",
                fr: "Vous êtes alerté quand arrive un bulletin qui correspond à une entrée, dans ce que votre habilitation permet de lire à l'ajout et à la lecture.",
                en: "You are alerted when a bulletin arrives that matches an entry, within what your clearance lets you read when it was added and when you read it.")
        case .watchKind: return LocalizedText(ar: "النوع", fr: "Type", en: "Kind")
        case .watchValue: return LocalizedText(ar: "القيمة", fr: "Valeur", en: "Value")
        case .watchLabel: return LocalizedText(ar: "ملاحظة (اختيارية)", fr: "Note (facultative)", en: "Note (optional)")
        case .watchAdd: return LocalizedText(ar: "إضافة", fr: "Ajouter", en: "Add")
        case .watchRemove: return LocalizedText(ar: "حذف", fr: "Retirer", en: "Remove")
        case .noEntries: return LocalizedText(ar: "لا توجد مدخلات.", fr: "Aucune entrée.", en: "No entries.")
        case .alerts: return LocalizedText(ar: "التنبيهات", fr: "Alertes", en: "Alerts")
        case .noAlerts: return LocalizedText(ar: "لا توجد تنبيهات.", fr: "Aucune alerte.", en: "No alerts.")
        case .watchRefused: return LocalizedText(ar: "رفضت العقدة الطلب:", fr: "Le nœud a refusé la demande :", en: "The node refused the request:")
        case .watchValueTooLong:
            return LocalizedText(
                ar: "القيمة فارغة أو طويلة جدًا (200 حرف على الأكثر).", fr: "La valeur est vide ou trop longue (200 caractères au plus).",
                en: "The value is empty or too long (200 characters at most).")
        case .watchLabelInvalid:
            return LocalizedText(
                ar: "الملاحظة سطر واحد من 200 حرف على الأكثر.", fr: "La note tient sur une ligne de 200 caractères au plus.",
                en: "The note is one line of at most 200 characters.")
        case .watchKindUnknown:
            return LocalizedText(ar: "اختر نوعًا من القائمة.", fr: "Choisissez un type de la liste.", en: "Choose a kind from the list.")
        case .entry: return LocalizedText(ar: "المدخل", fr: "Entrée", en: "Entry")
        case .linkedBulletins: return LocalizedText(ar: "نشرات مرتبطة", fr: "Bulletins liés", en: "Linked bulletins")
        case .score: return LocalizedText(ar: "الدرجة", fr: "Score", en: "Score")
        case .why: return LocalizedText(ar: "السبب", fr: "Motif", en: "Why")
        }
    }

    /// The text in `language`.
    func callAsFunction(_ language: Language) -> String { text[language] }

    /// Every text in `language`, keyed by case name, for templates (`{{s.search}}`).
    static func table(_ language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0(language)) })
    }

    /// The name of a watch-list kind.
    static func watchKind(_ kind: WatchKind, _ language: Language) -> String {
        let text: LocalizedText
        switch kind {
        case .name: text = LocalizedText(ar: "اسم شخص", fr: "Nom d'une personne", en: "A person's name")
        case .document: text = LocalizedText(ar: "وثيقة (MA:AB123456)", fr: "Document (MA:AB123456)", en: "Document (MA:AB123456)")
        case .plate: text = LocalizedText(ar: "لوحة تسجيل", fr: "Plaque d'immatriculation", en: "Registration plate")
        case .vessel: text = LocalizedText(ar: "سفينة (IMO أو MMSI أو الاسم)", fr: "Navire (OMI, MMSI ou nom)", en: "Vessel (IMO, MMSI or name)")
        case .phone: text = LocalizedText(ar: "هاتف أو IMEI", fr: "Téléphone ou IMEI", en: "Phone or IMEI")
        case .incidentType: text = LocalizedText(ar: "نوع واقعة", fr: "Type d'incident", en: "Incident type")
        case .crossingPoint: text = LocalizedText(ar: "نقطة عبور (رمزها)", fr: "Point de passage (son code)", en: "Crossing point (its code)")
        }
        return text[language]
    }

    /// The name of an identifier kind, for the search form's choice.
    static func identifierKind(_ kind: IdentifierKind, _ language: Language) -> String {
        let text: LocalizedText
        switch kind {
        case .document: text = LocalizedText(ar: "وثيقة سفر أو هوية", fr: "Document de voyage ou d'identité", en: "Travel or identity document")
        case .vin: text = LocalizedText(ar: "رقم هيكل المركبة (VIN)", fr: "Numéro de châssis (VIN)", en: "Vehicle identification number (VIN)")
        case .imo: text = LocalizedText(ar: "رقم السفينة لدى المنظمة البحرية (IMO)", fr: "Numéro OMI du navire", en: "Vessel IMO number")
        case .mmsi: text = LocalizedText(ar: "رقم MMSI للسفينة", fr: "MMSI du navire", en: "Vessel MMSI")
        case .plate: text = LocalizedText(ar: "لوحة التسجيل", fr: "Plaque d'immatriculation", en: "Registration plate")
        case .phone: text = LocalizedText(ar: "رقم الهاتف", fr: "Numéro de téléphone", en: "Phone number")
        case .imei: text = LocalizedText(ar: "رقم IMEI للجهاز", fr: "IMEI du téléphone", en: "Handset IMEI")
        case .aircraft: text = LocalizedText(ar: "تسجيل الطائرة", fr: "Immatriculation de l'aéronef", en: "Aircraft registration")
        }
        return text[language]
    }
}
