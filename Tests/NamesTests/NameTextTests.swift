import Names
import Testing

/// Each normalisation rule of docs/NAMES.md, one case or more each.
@Suite("NameText normalisation")
struct NameTextTests {
    @Test("Arabic: harakat, shadda, sukun and superscript alef are removed")
    func harakat() {
        #expect(NameText.normalized("مُحَمَّد") == "محمد")
        #expect(NameText.normalized("عَبْدُ القَادِرِ") == "عبد القادر")
        #expect(NameText.normalized("رحمٰن") == "رحمن")
    }

    @Test("Arabic: tatweel is removed")
    func tatweel() {
        #expect(NameText.normalized("محـــمد") == "محمد")
    }

    @Test("Arabic: alef and hamza forms are folded")
    func alefAndHamza() {
        #expect(NameText.normalized("أحمد") == "احمد")
        #expect(NameText.normalized("إبراهيم") == "ابراهيم")
        #expect(NameText.normalized("آمال") == "امال")
        #expect(NameText.normalized("ٱلحسن") == "الحسن")
        #expect(NameText.normalized("مؤمن") == "مومن")
        #expect(NameText.normalized("عائشة") == "عايشه")
    }

    @Test("Arabic: taa marbuta to haa, alef maqsura to yaa")
    func taaMarbutaAndAlefMaqsura() {
        #expect(NameText.normalized("فاطمة") == "فاطمه")
        #expect(NameText.normalized("مصطفى") == "مصطفي")
    }

    @Test("Arabic-Indic and Persian digits become 0–9")
    func digits() {
        #expect(NameText.normalized("١٢٣") == "123")
        #expect(NameText.normalized("۴۵") == "45")
    }

    @Test("presentation forms and Persian or Maghrebi letters")
    func presentationFormsAndLetters() {
        #expect(NameText.normalized("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}") == "محمد")
        #expect(NameText.normalized("ڨاسم") == "قاسم")
        #expect(NameText.normalized("کریم") == "كريم")
        #expect(NameText.normalized("ڤيصل") == "فيصل")
    }

    @Test("Latin: accents folded, lowercase")
    func latinAccents() {
        #expect(NameText.normalized("Hacène AÏCHA") == "hacene aicha")
        #expect(NameText.normalized("Ñúñez Øster Łukasz") == "nunez oster lukasz")
        #expect(NameText.normalized("Françoise") == "fransoise")
        #expect(NameText.normalized("Straße") == "strasse")
    }

    @Test("Latin: hyphens and punctuation separate words, apostrophes and ʿayn signs vanish")
    func latinPunctuation() {
        #expect(NameText.normalized("Abd el-Kader") == "abd el kader")
        #expect(NameText.normalized("Ma'ali") == "maali")
        #expect(NameText.normalized("ʿAbd al-Raḥmān") == "abd al rahman")
        #expect(NameText.normalized("O’Neil, Jr.") == "oneil jr")
        #expect(NameText.normalized("BEN YOUSSEF Mohamed") == "ben youssef mohamed")
    }

    @Test("a change of script splits a word; other scripts and emoji separate words")
    func scripts() {
        let words = NameText.words("Mohamedمحمد😀李Ali")
        #expect(words.map(\.text) == ["mohamed", "محمد", "ali"])
        #expect(words.map(\.script) == [.latin, .arabic, .latin])
    }

    @Test("input is bounded: scalars, words and letters")
    func bounds() {
        let long = String(repeating: "a", count: 100_000)
        let words = NameText.words(long)
        #expect(words.count == 1)
        #expect(words[0].letters.count == NameText.maximumWordLetters)
        let many = Array(repeating: "Ali", count: 50).joined(separator: " ")
        #expect(NameText.words(many).count == NameText.maximumWords)
        // ﷺ expands to 18 letters under NFKD; thousands of them stay bounded.
        let expanding = String(repeating: "\u{FDFA}", count: 10_000)
        #expect(NameText.words(expanding).count <= NameText.maximumWords)
    }

    @Test("nothing to read gives no words")
    func empty() {
        #expect(NameText.words("").isEmpty)
        #expect(NameText.words("  -- ,, ").isEmpty)
        #expect(NameText.words("\u{064E}\u{0651}\u{0301}").isEmpty)
        #expect(NameText.words("😀🇩🇿").isEmpty)
    }

    @Test("indexFolded: one scalar folded for a search index; nil for marks, punctuation, other scripts")
    func indexFolded() {
        #expect(NameText.indexFolded("\u{0629}") == ["\u{0647}"])  // ة → ه
        #expect(NameText.indexFolded("\u{0649}") == ["\u{064A}"])  // ى → ي
        #expect(NameText.indexFolded("\u{0623}") == ["\u{0627}"])  // أ → ا
        #expect(NameText.indexFolded("\u{0663}") == ["3"])
        #expect(NameText.indexFolded("\u{00DF}") == ["s", "s"])
        #expect(NameText.indexFolded("Q") == ["q"])
        #expect(NameText.indexFolded("\u{064E}") == nil)
        #expect(NameText.indexFolded("-") == nil)
        #expect(NameText.indexFolded("\u{0416}") == nil)  // Cyrillic Ж
    }
}
