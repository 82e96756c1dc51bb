import Foundation
import Names
import Testing

/// The matcher on known pairs, on hostile input, and on a fixed sample of attested spellings
/// (docs/NAMES.md).
@Suite("NameMatcher")
struct NameMatcherTests {
    let matcher = NameMatcher()

    func score(_ a: String, _ b: String) -> Double { matcher.score(a, b) }

    @Test(
        "spellings of one name match, across scripts and transliteration habits",
        arguments: [
            ("محمد بن يوسف", "Mohamed Ben Youssef"),
            ("محمد بن يوسف", "Muhammad bin Yusuf"),
            ("Mohamed Ben Youssef", "Muhammad bin Yusuf"),
            ("Abdelkader", "Abd el-Kader"),
            ("Abdelkader", "عبد القادر"),
            ("Abd el-Kader", "عبد القادر"),
            ("Abd al-Qadir", "عبد القادر"),
            ("Abd al-Qadir", "Abdelkader"),
            ("Mhamed", "Mohamed"),
            ("Youcef", "Yusuf"),
            ("Benyoucef", "Ben Youssef"),
            ("بن يوسف", "Benyoucef"),
            ("Abderrahmane", "عبد الرحمن"),
            ("Abderrahmane", "Abdul Rahman"),
            ("Noureddine", "Nour el-Din"),
            ("نور الدين", "Noureddine"),
            ("نورالدين", "Nour Eddine"),
            ("Gamal", "Jamal"),
            ("Djamel", "جمال"),
            ("Fatima", "فاطمة"),
            ("Salah", "صلاح"),
            ("Aïcha", "عائشة"),
            ("Fathi", "فتحي"),
            ("Lahouari", "هواري"),
            ("El Makkaoui", "المكاوي"),
            ("Ould Ahmed", "ولد احمد"),
            ("BEN YOUSSEF Mohamed", "Mohamed Ben Youssef"),
            ("Mohamed Amine Benali", "Benali Mohamed"),
            ("Karim Benzema", "Kareem Ben Zima"),
        ])
    func matches(_ pair: (String, String)) {
        let value = score(pair.0, pair.1)
        #expect(value >= NameMatcher.threshold, "\(pair.0) / \(pair.1): \(value)")
    }

    @Test(
        "different names do not match",
        arguments: [
            ("Abdelkader", "Abderrahmane"),
            ("عبد القادر", "Abdelaziz"),
            ("Karim", "Rachid"),
            ("Youssef", "Yacine"),
            ("Fatima", "Khadija"),
            ("Nabil", "Nadia"),
            ("Khaled", "Khalil"),
            ("Ahmed", "Mohamed"),
            ("Kamal", "Jamal"),
            ("Mohamed Ben Ali", "Mohamed Ben Salah"),
            ("محمد بن يوسف", "Mohamed Ben Salah"),
        ])
    func differs(_ pair: (String, String)) {
        let value = score(pair.0, pair.1)
        #expect(value < NameMatcher.threshold, "\(pair.0) / \(pair.1): \(value)")
    }

    /// The transliteration conventions read since the single-name recall work (docs/NAMES.md,
    /// "What each rule bought"): Latin rh for r + ح, a taa marbuta read -et/-at, a final ي that
    /// is an alef maqsura, German and Dutch ch for خ, German and Polish j for y, وو as one ou.
    @Test(
        "transliteration conventions: rh, -et for ة, ي for ى, ch for kh, j for y, وو",
        arguments: [
            ("Farhan", "فرحان"), ("Rhouma", "رحومة"), ("Barhoumi", "برهومي"), ("Rharbi", "غربي"),
            ("Najet", "نجاة"), ("Hayet", "حياة"), ("Najette", "Najat"), ("Hibat Allah", "هبة الله"),
            ("Issa", "عيسي"), ("Yahia", "يحيي"), ("Doha", "ضحي"),
            ("Chalifa", "خليفة"), ("Chamis", "Khamis"),
            ("Jusuf", "يوسف"), ("Jasmin", "Yasmine"),
            ("Daoud", "داوود"), ("Taous", "طاووس"),
        ])
    func transliterationConventions(_ pair: (String, String)) {
        let value = score(pair.0, pair.1)
        #expect(value >= NameMatcher.threshold, "\(pair.0) / \(pair.1): \(value)")
    }

    /// Near misses of the same rules: each second reading is cheap only where it applies.
    @Test(
        "near misses of those conventions stay below the threshold",
        arguments: [
            ("Farhan", "فرحات"),  // rh: another final consonant
            ("Najet", "نجاح"),  // -et is a taa marbuta, not a ح
            ("Chaker", "خاطر"),  // ch may be kh, but k is not t
            ("Jamila", "Yamina"),  // j may be y, but l is not n
            ("Douadi", "داوود"),  // وو: Daoud, not Douadi
            ("Issa", "عيساوي"),  // the final ي of a nisba is no alef maqsura inside a longer name
        ])
    func conventionNearMisses(_ pair: (String, String)) {
        let value = score(pair.0, pair.1)
        #expect(value < NameMatcher.threshold, "\(pair.0) / \(pair.1): \(value)")
    }

    /// A search index stores the blocking keys (Sources/SearchIndex, person_key): the phones that
    /// read two ways keep the keys of the letters they were read as before (rh as gh, ch as sh,
    /// a final t as t, j as j), so that an existing index stays valid.
    @Test("blocking keys of the two-way phones are those stored before them")
    func stableBlockingKeys() {
        #expect(PersonName("Farhan").blockingKeys == ["BKN"])
        #expect(PersonName("Rharbi").blockingKeys == ["KRB"])
        #expect(PersonName("Chalifa").blockingKeys == ["SLB"])
        #expect(PersonName("Najet").blockingKeys == ["NKT"])
        #expect(PersonName("Jahja").blockingKeys == ["KHK"])
        #expect(PersonName("عيسي").blockingKeys == ["S"])
        #expect(PersonName("داوود").blockingKeys == ["D"])
        #expect(PersonName("Ait Tahar").blockingKeys == ["HR", "THR"])
    }

    /// Mohamed/Mahmoud and Hassan/Hussein differ by one long vowel: at the threshold that keeps
    /// recall, they score above it (docs/NAMES.md, "Known failures"); the score still ranks the
    /// true spelling first, which is what a ranked list of candidates shows.
    @Test("one-vowel neighbours rank below true spellings")
    func ranking() {
        #expect(score("Mohamed", "Muhammad") > score("Mohamed", "Mahmoud"))
        #expect(score("محمد", "Mohamed") > score("محمود", "Mohamed"))
        #expect(score("Hassan", "Hasan") > score("Hassan", "Hussein"))
        #expect(score("حسين", "Hussein") > score("حسين", "Hassan"))
        #expect(score("Mohamed Ben Youssef", "Mohamed Youssef") > score("Mohamed Ben Youssef", "Mohamed Ben Salah"))
    }

    static let samples = [
        "", " ", "Mohamed", "محمد", "Mohamed Ben Youssef", "محمد بن يوسف", "Abd el-Kader", "عبد القادر", "Benyoucef",
        "Hassan",
        "Hussein", "Mahmoud", "O'Neil", "Ma'ali", "😀", "李小龍", "\u{0301}\u{064E}", "Mohamedمحمد", "al", "ben", "عبد",
        "x",
        String(repeating: "Abd ", count: 40), String(repeating: "ب", count: 5_000),
        "El Abd Allah Ben Abd Allah Ould Abd Allah",
    ]

    @Test("scores are in 0…1 and symmetric; a name matches itself")
    func rangeAndSymmetry() {
        for a in Self.samples {
            for b in Self.samples {
                let ab = score(a, b)
                let ba = score(b, a)
                #expect(ab >= 0 && ab <= 1, "\(a) / \(b): \(ab)")
                #expect(abs(ab - ba) < 1e-12, "\(a) / \(b): \(ab) but \(ba) the other way")
            }
            if !PersonName(a).units.isEmpty { #expect(score(a, a) == 1, "\(a)") }
        }
    }

    @Test("hostile input: empty, huge, marks only, emoji, replacement characters — no trap, bounded units")
    func hostileInput() {
        #expect(score("", "") == 0)
        #expect(score("", "Mohamed") == 0)
        let huge = String(repeating: "Abdelkader Ben Youssef ", count: 20_000)
        #expect(PersonName(huge).units.count <= NameText.maximumWords)
        #expect(score(huge, "Abdelkader Ben Youssef") >= 0)
        let invalid = String(decoding: [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80] as [UInt8], as: UTF8.self)
        #expect(PersonName(invalid).units.isEmpty)
        #expect(score(invalid, "Mohamed") == 0)
        let marks = String(repeating: "\u{0651}\u{0301}\u{20DD}", count: 1_000)
        #expect(PersonName(marks).units.isEmpty)
        #expect(PersonName("\u{202E}محمد\u{200D}").units.count == 1)
        #expect(score("👨‍👩‍👧 Mohamed 🇲🇦", "Mohamed") == 1)
    }

    @Test("blocking keys: spellings of one name share a key")
    func blockingKeys() {
        let groups = [
            ["Mohamed", "Muhammad", "محمد", "Mhamed"], ["Abdelkader", "Abd el-Kader", "عبد القادر", "Abd al-Qadir"],
            ["Youssef", "Yusuf", "Youcef", "يوسف"], ["Ben Youssef", "Benyoucef", "بن يوسف"],
        ]
        for group in groups {
            for a in group {
                for b in group {
                    #expect(!PersonName(a).blockingKeys.isDisjoint(with: PersonName(b).blockingKeys), "\(a) / \(b)")
                }
            }
        }
        #expect(PersonName("").blockingKeys.isEmpty)
    }

    @Test("pair keys: spellings of one full name share one, in either order; one unit has none")
    func pairBlockingKeys() {
        let spellings = [
            "Mohamed Ben Youssef", "محمد بن يوسف", "BEN YOUSSEF Mohamed", "Muhammad bin Yusuf", "Mohamed Benyoucef",
        ]
        for a in spellings {
            for b in spellings {
                #expect(!PersonName(a).pairBlockingKeys.isDisjoint(with: PersonName(b).pairBlockingKeys), "\(a) / \(b)")
            }
        }
        #expect(PersonName("Mohamed").pairBlockingKeys.isEmpty)
        #expect(
            PersonName("Mohamed Ben Youssef").pairBlockingKeys.isDisjoint(
                with: PersonName("Mohamed Haddad").pairBlockingKeys))
        // Bounded: eight units give the pairs of the first five only.
        #expect(PersonName("a b c d e f g h").pairBlockingKeys.count <= 10 * 4)
    }

    /// Tests/Vectors/names/wikidata-pairs.tsv: attested Wikidata spellings (CC0) from the
    /// development split, written by `NamesEval --write-vectors`. The figures are those of
    /// docs/NAMES.md, with a margin; a change that lowers them fails here.
    @Test("recall and false matches on the committed sample of attested spellings")
    func committedSample() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/names/wikidata-pairs.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var positives = 0
        var found = 0
        var negatives = 0
        var falseMatches = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            try #require(fields.count == 3)
            let matched = score(fields[1], fields[2]) >= NameMatcher.threshold
            if fields[0] == "match" {
                positives += 1
                if matched { found += 1 }
            } else {
                negatives += 1
                if matched { falseMatches += 1 }
            }
        }
        #expect(positives >= 250 && negatives >= 250)
        let recall = Double(found) / Double(positives)
        #expect(recall >= 0.95, "recall \(recall) on \(positives) attested pairs")
        #expect(falseMatches <= 2, "\(falseMatches) false matches among \(negatives) different names")
    }
}
