import Observables
import Testing

/// Extraction from every example of Schemas/examples, and hostile bodies.
@Suite("BulletinObservables")
struct BulletinObservablesTests {
    /// Per example: the identifiers (`kind:key`) and the persons' first names expected.
    static let expected: [String: (identifiers: Set<String>, persons: Set<String>)] = [
        "armed-group-movement.json": ([], []),
        "arms-cache.json": (["vin:JTMHV05J404123456"], []),
        "arms-trafficking.json": ([], ["عبد الحكيم الزليتني", "مراد الحامدي"]),
        "border-incident.json": ([], []),
        "cash-and-precious-metals-smuggling.json": (["phone:+218925551234"], ["صالح المقريف"]),
        "cultural-property-trafficking.json": ([], ["MAIGA Oumar", "ابراهيم ولد سيدي"]),
        "document-fraud.json": (["document:FRA:19AF23456", "document:MAR:BK482915"], ["يوسف العمراني"]),
        "drug-trafficking.correction.json": (["phone:+8821655512345"], ["محمد الأمين بن عيسى", "AG ALHASSANE Ibrahim"]),
        "drug-trafficking.json": (["phone:+8821655512345"], ["محمد الأمين بن عيسى", "AG ALHASSANE Ibrahim"]),
        "foreign-terrorist-fighters.json": (
            [
                "document:SDN:P04518273", "document:SDN:P04518291", "document:EGY:28603150101234", "imei:490154203237518",
                "phone:+905321234567",
            ],
            ["خالد إبراهيم عثمان", "ياسر عبد الرحمن", "محمود سعيد الشاذلي", "هبة محمد عوض"]
        ),
        "fuel-smuggling.json": ([], ["علي الجربي", "فتحي الورغمي"]),
        "fuel-smuggling.withdrawal.json": ([], []),
        "goods-smuggling.json": (["plate:ML:AB4417KA"], ["الشيخ ولد محمد"]),
        "human-trafficking.json": (["phone:+2348031234567"], ["OKAFOR Blessing", "ABDOU Moussa"]),
        "migrant-smuggling.json": (["plate:EG:نصع4721", "phone:+218913456789"], ["أحمد فتحي عبد السلام", "كريم سعد حسن"]),
        "organised-crime-network.json": (
            ["document:ESP:E08736512", "phone:+212661234567", "phone:+34612345678"],
            ["رشيد الوزاني", "عبد القادر بلحاج", "MORENO GIL Javier", "نادية بوعزة"]
        ),
        "stolen-vehicle.json": (["vin:2T3BFREV5HW584712", "plate:MR:2291AC00", "document:SEN:SN2019DK04471"], ["NDIAYE Moussa"]),
        "suspicious-aircraft.json": ([], []),
        "suspicious-vessel.json": (["imo:9074729", "mmsi:636017432"], []),
        "terrorist-threat.json": (
            ["document:TUN:08765432", "phone:+21698765432", "imei:356938035643809", "phone:+8821621234567"],
            ["أنيس الغربي", "سفيان بن عمر"]
        ),
        "wanted-person.json": (["document:DZA:196540312", "phone:+213661234567"], ["كريم بوزيد"]),
        "wildlife-trafficking.json": ([], ["GARCIA LOPEZ Antonio"]),
    ]

    @Test("every example gives the identifiers and persons expected")
    func everyExample() throws {
        let names = try Examples.names()
        #expect(Set(names) == Set(Self.expected.keys), "a new example needs its expectations here")
        for name in names {
            let observables = BulletinObservables(body: try Examples.body(name))
            let identifiers = Set(observables.identifiers.map { "\($0.kind.rawValue):\($0.key)" })
            #expect(identifiers == Self.expected[name]?.identifiers, "\(name)")
            #expect(Set(observables.persons.map(\.name)) == Self.expected[name]?.persons, "\(name)")
            #expect(!observables.title.isEmpty, "\(name)")
            #expect(observables.occurredAtMilliseconds != nil, "\(name)")
            #expect(observables.details.unicodeScalars.count <= BulletinObservables.maximumDetailsScalars)
        }
    }

    @Test("migrant smuggling: text folded, ids and keys not read as text, crossing points, occurredAt")
    func migrantSmuggling() throws {
        let observables = BulletinObservables(body: try Examples.body("migrant-smuggling.json"))
        #expect(observables.title.contains("truck carrying 63 migrants intercepted near salloum"))
        #expect(observables.title.contains("اعتراض شاحنه تقل 63 مهاجرا قرب السلوم"))
        #expect(observables.summary.contains("border guards stopped a refrigerated truck"))
        #expect(observables.summary.contains("غير مصحوبين"))
        #expect(observables.details.contains("egyptian border guard"))
        #expect(observables.details.contains("mitsubishi"))
        #expect(!observables.details.contains("01jakjq5nrfbfyh5k0jkctvjvw"))  // the id
        #expect(!observables.details.contains("1 1 0"))  // schemaVersion
        #expect(!observables.details.contains("registrationplate"))  // keys are not text
        #expect(!observables.details.contains("truck carrying"))  // the title is kept apart
        #expect(observables.crossingPoints == ["EG-LY-SALLOUM-MUSAID"])
        // 2025-06-02T23:10:00+03:00 = 2025-06-02T20:10:00Z
        #expect(observables.occurredAtMilliseconds == 1_748_895_000_000)
        let driver = observables.persons.first { $0.name == "أحمد فتحي عبد السلام" }
        #expect(driver?.aliases == ["ABDELSALAM Ahmed Fathy"])
        #expect(driver?.nationalities == ["EGY"])
    }

    @Test("persons: people items, wanted person's names, document holder; birth date and year")
    func persons() throws {
        let wanted = BulletinObservables(body: try Examples.body("wanted-person.json"))
        let karim = try #require(wanted.persons.first)
        #expect(karim.aliases.contains("BOUZID Karim"))
        #expect(karim.aliases.contains("Abou Salah"))
        #expect(karim.birthDate == "1987-11-02")
        #expect(karim.birthYear == 1987)
        #expect(karim.nationalities == ["DZA"])

        let fraud = BulletinObservables(body: try Examples.body("document-fraud.json"))
        #expect(fraud.persons.first?.aliases == ["EL AMRANI Youssef"])
        #expect(fraud.persons.first?.nationalities == ["MAR"])

        let arms = BulletinObservables(body: try Examples.body("arms-trafficking.json"))
        let zlitni = arms.persons.first { $0.name == "عبد الحكيم الزليتني" }
        #expect(zlitni?.birthYear == 1985)
        #expect(zlitni?.birthDate == nil)
    }

    @Test("vessel: IMO from 'IMO 9074729', MMSI, the vessel's name")
    func vessel() throws {
        let observables = BulletinObservables(body: try Examples.body("suspicious-vessel.json"))
        #expect(observables.identifiers.first { $0.kind == .imo }?.written == "IMO 9074729")
        #expect(observables.vesselNames == ["SEA PEARL"])
    }

    @Test("a title given as one string; occurredAt in UTC with a fraction")
    func variants() {
        let body = #"{"title":"Saisie À Tarajal","occurredAt":"2025-11-12T09:20:00.250Z","details":{"vessels":[{"name":"Nour","imoNumber":"9074729"}]}}"#
        let observables = BulletinObservables(body: Array(body.utf8))
        #expect(observables.title == "saisie a tarajal")
        #expect(observables.occurredAtMilliseconds == 1_762_939_200_250)
        #expect(observables.vesselNames == ["Nour"])
        #expect(BulletinObservables(body: Array(#"{"occurredAt":"2025-02-30T00:00:00Z"}"#.utf8)).occurredAtMilliseconds == nil)
        #expect(BulletinObservables(body: Array(#"{"occurredAt":"2025-02-03"}"#.utf8)).occurredAtMilliseconds == nil)
    }

    @Test("not JSON, not an object, truncated, wrong types: empty observables, no trap")
    func notJSON() {
        let empty = BulletinObservables()
        for text in ["", "hello", "[1,2,3]", "\"x\"", "{", #"{"title":"#, #"{"title":"x"} trailing"#, "{\"a\":tru}", "{\"a\":\"\\q\"}"] {
            #expect(BulletinObservables(body: Array(text.utf8)) == empty, "\(text)")
        }
        #expect(BulletinObservables(body: [0xFF, 0xFE, 0x00, 0x7B]) == empty)
        let wrongTypes = #"{"title":5,"summary":[1],"occurredAt":7,"details":{"people":["x",5,{"name":5},{"name":{"latin":7}}],"documentNumber":9,"crossingPoint":{"a":1},"birthYear":"x"}}"#
        let observables = BulletinObservables(body: Array(wrongTypes.utf8))
        #expect(observables.persons.map(\.name) == ["x"] || observables.persons.isEmpty)
        #expect(observables.identifiers.isEmpty)
        #expect(observables.crossingPoints.isEmpty)
    }

    @Test("deep nesting is refused; nesting within the bound is read")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(BulletinObservables(body: Array(("{\"a\":" + deep + "}").utf8)) == BulletinObservables())
        let objects = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(BulletinObservables(body: Array(objects.utf8)) == BulletinObservables())
        let within = String(repeating: "{\"a\":", count: 20) + "{\"crossingPoint\":\"MR-SN-ROSSO\"}" + String(repeating: "}", count: 20)
        #expect(BulletinObservables(body: Array(within.utf8)).crossingPoints == ["MR-SN-ROSSO"])
    }

    @Test("100,000-element arrays: kept items bounded by maximumItems")
    func hugeArrays() {
        var people = "["
        var phones = "["
        for index in 0..<100_000 {
            if index > 0 {
                people += ","
                phones += ","
            }
            people += "{\"name\":{\"latin\":\"Person \(index)\"},\"birthYear\":1980}"
            phones += "{\"number\":\"+2126\(String(10_000_000 + index))\"}"
        }
        let withPeople = BulletinObservables(body: Array("{\"details\":{\"people\":\(people)]}}".utf8))
        #expect(withPeople.persons.count == BulletinObservables.maximumItems)
        let withPhones = BulletinObservables(body: Array("{\"details\":{\"phones\":\(phones)]}}".utf8))
        #expect(withPhones.identifiers.count == BulletinObservables.maximumItems)
        let places = "[" + (0..<100_000).map { "{\"crossingPoint\":\"CP-\($0)\"}" }.joined(separator: ",") + "]"
        let withPlaces = BulletinObservables(body: Array("{\"details\":{\"places\":\(places)}}".utf8))
        #expect(withPlaces.crossingPoints.count == BulletinObservables.maximumItems)
        #expect(withPlaces.details.unicodeScalars.count <= BulletinObservables.maximumDetailsScalars)
        let numbers = "[" + (0..<100_000).map(String.init).joined(separator: ",") + "]"
        _ = BulletinObservables(body: Array("{\"a\":\(numbers)}".utf8))
    }

    @Test("huge strings: bounded text; a body over the byte bound is refused")
    func hugeStrings() {
        let long = String(repeating: "Saisie à Tarajal ", count: 100_000)  // 1.8 MB, four times
        let body = "{\"title\":{\"fr\":\"\(long)\"},\"summary\":\"\(long)\",\"details\":{\"note\":\"\(long)\",\"people\":[{\"name\":\"\(long)\"}]}}"
        let observables = BulletinObservables(body: Array(body.utf8))
        #expect(observables.title.unicodeScalars.count <= BulletinObservables.maximumTitleAndSummaryScalars)
        #expect(observables.summary.unicodeScalars.count <= BulletinObservables.maximumTitleAndSummaryScalars)
        #expect(observables.details.unicodeScalars.count <= BulletinObservables.maximumDetailsScalars)
        #expect(observables.persons.first.map { $0.name.unicodeScalars.count <= 256 } ?? true)
        let tooBig = "{\"a\":\"" + String(repeating: "x", count: 9 << 20) + "\"}"
        #expect(BulletinObservables(body: Array(tooBig.utf8)) == BulletinObservables())
    }

    @Test("escapes, surrogates and invalid UTF-8 inside strings: no trap")
    func escapes() {
        let body = #"{"title":{"ar":"\u0645\u062d\u0645\u062f \ud83d\ude00 \ud800 \udc00 x\"y"},"details":{"crossingPoint":"mr-sn-rosso"}}"#
        let observables = BulletinObservables(body: Array(body.utf8))
        #expect(observables.title.hasPrefix("محمد"))
        #expect(observables.crossingPoints == ["MR-SN-ROSSO"])
        var bytes = Array(#"{"title":"ab"#.utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array(#"cd"}"#.utf8)
        _ = BulletinObservables(body: bytes)
    }
}
