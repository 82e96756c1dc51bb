import Exchange
import Foundation
import Store

/// Bulletins made up for the search benchmark: realistic in what search and correlation read —
/// persons named in Arabic or in one of several Latin spellings of the region (given name, often
/// `ben`/`بن` and a father's name, a family name), passports with their issuing state, plates,
/// crossing points of the reference list, titles and summaries in Arabic, French or English —
/// drawn from a fixed seed, so that every run indexes the same bulletins.
struct GeneratedBulletins {
    /// One name as an Arabic spelling and its Latin spellings (the first the most frequent).
    struct Name {
        var arabic: String
        var latin: [String]
    }

    static let givenNames: [Name] = [
        Name(arabic: "محمد", latin: ["Mohamed", "Muhammad", "Mohammed", "Mhamed"]),
        Name(arabic: "أحمد", latin: ["Ahmed", "Ahmad"]), Name(arabic: "يوسف", latin: ["Youssef", "Yusuf", "Youcef"]),
        Name(arabic: "عبد القادر", latin: ["Abdelkader", "Abd el-Kader", "Abdulkadir"]),
        Name(arabic: "مصطفى", latin: ["Mustapha", "Mostafa", "Moustafa"]), Name(arabic: "خالد", latin: ["Khaled", "Khalid"]),
        Name(arabic: "سعيد", latin: ["Said", "Saeed", "Saïd"]), Name(arabic: "عمر", latin: ["Omar", "Umar"]),
        Name(arabic: "إبراهيم", latin: ["Ibrahim", "Brahim"]), Name(arabic: "علي", latin: ["Ali"]),
        Name(arabic: "حسن", latin: ["Hassan", "Hasan"]), Name(arabic: "كريم", latin: ["Karim", "Kareem"]),
        Name(arabic: "رشيد", latin: ["Rachid", "Rashid"]), Name(arabic: "نور الدين", latin: ["Noureddine", "Nour Eddine", "Nuruddin"]),
        Name(arabic: "عبد الله", latin: ["Abdallah", "Abdellah", "Abdullah"]), Name(arabic: "سليمان", latin: ["Slimane", "Suleiman"]),
        Name(arabic: "فاطمة", latin: ["Fatima", "Fatma"]), Name(arabic: "عائشة", latin: ["Aicha", "Aisha"]),
        Name(arabic: "خديجة", latin: ["Khadija", "Khadidja"]), Name(arabic: "مريم", latin: ["Meriem", "Maryam"]),
        Name(arabic: "زينب", latin: ["Zineb", "Zainab"]), Name(arabic: "حليمة", latin: ["Halima"]),
        Name(arabic: "جمال", latin: ["Djamel", "Jamal", "Gamal"]), Name(arabic: "طارق", latin: ["Tarek", "Tariq"]),
        Name(arabic: "هشام", latin: ["Hicham", "Hisham"]), Name(arabic: "منصور", latin: ["Mansour", "Mansur"]),
        Name(arabic: "عثمان", latin: ["Othmane", "Osman", "Uthman"]), Name(arabic: "صالح", latin: ["Salah", "Saleh"]),
        Name(arabic: "إدريس", latin: ["Idriss", "Idris"]), Name(arabic: "بلال", latin: ["Bilal"]),
    ]

    static let familyNames: [Name] = [
        Name(arabic: "بن علي", latin: ["Ben Ali", "Benali", "Bin Ali"]), Name(arabic: "التونسي", latin: ["Ettounsi", "Al-Tunisi"]),
        Name(arabic: "بوعزيزي", latin: ["Bouazizi"]), Name(arabic: "الإدريسي", latin: ["El Idrissi", "Al-Idrisi"]),
        Name(arabic: "بلقاسم", latin: ["Belkacem", "Belgacem"]), Name(arabic: "حداد", latin: ["Haddad"]),
        Name(arabic: "مسعودي", latin: ["Messaoudi", "Masudi"]), Name(arabic: "العمراني", latin: ["El Amrani", "Al-Amrani"]),
        Name(arabic: "بن يوسف", latin: ["Ben Youssef", "Benyoucef", "Bin Yusuf"]), Name(arabic: "زروقي", latin: ["Zerrouki"]),
        Name(arabic: "بوتفليقة", latin: ["Bouteflika"]), Name(arabic: "الفاسي", latin: ["El Fassi", "Al-Fasi"]),
        Name(arabic: "الشريف", latin: ["Cherif", "Al-Sharif"]), Name(arabic: "قاسمي", latin: ["Kacemi", "Qasimi"]),
        Name(arabic: "المصري", latin: ["El Masri", "Al-Masri"]), Name(arabic: "السوداني", latin: ["Al-Sudani", "Soudani"]),
        Name(arabic: "ولد محمد", latin: ["Ould Mohamed", "Ould Mohammed"]), Name(arabic: "الطرابلسي", latin: ["Trabelsi", "Al-Tarabulsi"]),
        Name(arabic: "بن سالم", latin: ["Ben Salem", "Bensalem"]), Name(arabic: "شعبان", latin: ["Chaabane", "Shaaban"]),
        Name(arabic: "عيساوي", latin: ["Aissaoui", "Issawi"]), Name(arabic: "بوزيد", latin: ["Bouzid"]),
        Name(arabic: "الغزالي", latin: ["El Ghazali", "Al-Ghazali"]), Name(arabic: "خليفة", latin: ["Khelifa", "Khalifa"]),
        Name(arabic: "الكبير", latin: ["El Kebir", "Al-Kabir"]), Name(arabic: "عبد الرحمن", latin: ["Abderrahmane", "Abdelrahman"]),
        Name(arabic: "ميلودي", latin: ["Miloudi"]), Name(arabic: "بن عمر", latin: ["Benamar", "Ben Omar"]),
        Name(arabic: "سعداوي", latin: ["Saadaoui", "Saadawi"]), Name(arabic: "الهاشمي", latin: ["El Hachemi", "Al-Hashimi"]),
    ]

    static let states = ["MA", "DZ", "TN", "LY", "EG", "SD", "TD", "NE", "ML", "MR"]
    /// The states' ISO 3166-1 alpha-3 codes (nationalities in schema 1.1), in the order of ``states``.
    static let nationalities = ["MAR", "DZA", "TUN", "LBY", "EGY", "SDN", "TCD", "NER", "MLI", "MRT"]
    static let types = ["migrant-smuggling", "drug-trafficking", "document-fraud", "stolen-vehicle", "arms-trafficking", "wanted-person"]
    static let markings: [(workingGroup: String, tlp: TLP, handling: [String])] = [
        ("security", .amber, []), ("customs", .green, []), ("intelligence", .amber, []), ("justice", .clear, []),
        ("security", .red, []), ("customs", .amber, ["law-enforcement-use-only"]),
    ]

    let crossingPoints: [String]
    private var random: SplitMix64
    private var made = 0
    private let start: UInt64

    /// A generator seeded with `seed`; crossing-point codes from `schemas/reference`.
    init(schemas: URL, seed: UInt64 = 0x18_5EA2C4) throws {
        let reference = schemas.appendingPathComponent("reference/crossing-points.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: reference)) as? [String: Any]
        crossingPoints = ((object?["crossingPoints"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
        guard !crossingPoints.isEmpty else { throw BenchError("no crossing points in \(reference.path)") }
        random = SplitMix64(seed: seed)
        start = 1_700_000_000_000
    }

    /// A person's full name, in Arabic or in one Latin spelling, and its birth date.
    mutating func person() -> (arabic: String, latin: String, birthDate: String) {
        let given = Self.givenNames[random.below(Self.givenNames.count)]
        let family = Self.familyNames[random.below(Self.familyNames.count)]
        let father = random.below(2) == 0 ? Self.givenNames[random.below(Self.givenNames.count)] : nil
        let first = pick(given.latin)
        let middle = father.map { ["Ben " + pick($0.latin)] } ?? []
        let last = pick(family.latin)
        // Half of the Latin forms as the schema's example writes them: family name first, in capitals.
        let latin = random.below(2) == 0 ? ([first] + middle + [last]).joined(separator: " ") : ([last.uppercased(), first] + middle).joined(separator: " ")
        let arabicParts = [given.arabic] + (father.map { ["بن " + $0.arabic] } ?? []) + [family.arabic]
        let birth = "19\(60 + random.below(40))-0\(1 + random.below(9))-1\(random.below(10))"
        return (arabicParts.joined(separator: " "), latin, birth)
    }

    private mutating func pick(_ spellings: [String]) -> String {
        random.below(2) == 0 ? spellings[0] : spellings[random.below(spellings.count)]
    }

    /// The next bulletin: stored 10 ms after the previous one.
    mutating func next() throws -> StoredBulletin {
        made += 1
        let origin = Self.states[random.below(Self.states.count)]
        let type = Self.types[random.below(Self.types.count)]
        let marking = Self.markings[random.below(Self.markings.count)]
        let crossing = crossingPoints[random.below(crossingPoints.count)]
        let storedAt = start + UInt64(made) * 10
        let id = BulletinID.generate(at: Timestamp(millisecondsSinceEpoch: storedAt))
        let reference = BulletinReference(origin: try StateCode(origin), id: id)
        var people: [[String: Any]] = []
        for _ in 0..<(1 + random.below(3)) {
            let person = person()
            // A third in Arabic script only, a third in Latin only, a third in both (the schema's personName).
            let name: [String: String] =
                switch random.below(3) {
                case 0: ["arabic": person.arabic]
                case 1: ["latin": person.latin]
                default: ["arabic": person.arabic, "latin": person.latin]
                }
            people.append([
                "name": name, "birthDate": person.birthDate,
                "nationalities": [Self.nationalities[random.below(Self.nationalities.count)]],
            ])
        }
        let documentNumber = String(format: "%@%07d", ["AB", "CD", "EF", "GH", "KL"][random.below(5)], random.below(2_000_000))
        let plate = String(format: "%05d-%@-%02d", random.below(100_000), ["A", "B", "H", "W"][random.below(4)], random.below(90))
        let language = ["ar", "fr", "en"][random.below(3)]
        let title: String
        let summary: String
        switch language {
        case "ar":
            title = "توقيف مهربين عند المعبر \(crossing)"
            summary = "أوقفت دورية مشتركة سيارة تقل أشخاصا بوثائق مزورة قرب المعبر الحدودي."
        case "fr":
            title = "Interpellation de passeurs au poste \(crossing)"
            summary = "Une patrouille mixte a intercepté un véhicule transportant des personnes munies de faux documents près du poste frontière."
        default:
            title = "Smugglers stopped at crossing \(crossing)"
            summary = "A joint patrol stopped a vehicle carrying people with forged documents near the border crossing."
        }
        let body: [String: Any] = [
            "schemaVersion": "1.1.0", "id": reference.description, "incidentType": type,
            "title": [language: title], "summary": [language: summary],
            "occurredAt": Timestamp(millisecondsSinceEpoch: storedAt - 3_600_000).description,
            "location": ["country": origin, "crossingPoint": crossing], "tlp": marking.tlp.label,
            "workingGroup": marking.workingGroup, "handling": marking.handling,
            "details": [
                "people": people,
                "documents": [["documentType": "passport", "issuingState": origin, "documentNumber": documentNumber]],
                "vehicles": [["kind": "car", "registrationPlate": plate, "registrationCountry": origin]],
            ],
        ]
        let bytes = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return StoredBulletin(
            reference: reference, incidentType: type, tlp: marking.tlp, createdAt: Timestamp(millisecondsSinceEpoch: storedAt),
            storedAt: Timestamp(millisecondsSinceEpoch: storedAt), body: [UInt8](bytes),
            indexFields: BulletinIndexFields(workingGroup: marking.workingGroup, handling: marking.handling, corrects: nil, withdraws: nil))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, fixed-seed generator, the same numbers on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
