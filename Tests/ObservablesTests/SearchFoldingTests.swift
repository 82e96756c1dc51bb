import Observables
import Testing

/// Each folding rule of SearchFolding (docs/SEARCH.md, "What is read from a bulletin").
@Suite("SearchFolding")
struct SearchFoldingTests {
    @Test("Latin is lowercased")
    func lowercasesLatin() {
        #expect(SearchFolding.fold("SEA Pearl") == "sea pearl")
    }

    @Test("Arabic: harakat, shadda, hamza marks and tatweel removed")
    func arabicMarks() {
        #expect(SearchFolding.fold("مُحَمَّد") == "محمد")
        #expect(SearchFolding.fold("محـــمد") == "محمد")
        #expect(SearchFolding.fold("ﻣﺤﻤﺪ") == "محمد")  // presentation forms
    }

    @Test("Arabic: alef and hamza forms, taa marbuta, alef maqsura")
    func arabicVariants() {
        #expect(SearchFolding.fold("أحمد") == "احمد")
        #expect(SearchFolding.fold("إسلام") == "اسلام")
        #expect(SearchFolding.fold("آمنة") == "امنه")
        #expect(SearchFolding.fold("مؤمن") == "مومن")
        #expect(SearchFolding.fold("عائشة") == "عايشه")
        #expect(SearchFolding.fold("مصطفى") == "مصطفي")
        #expect(SearchFolding.fold("الوثائق") == "الوثايق")
    }

    @Test("Persian and Maghrebi letters to the nearest Arabic one")
    func persianAndMaghrebi() {
        #expect(SearchFolding.fold("کریم") == "كريم")
        #expect(SearchFolding.fold("ڤيلا") == "فيلا")
        #expect(SearchFolding.fold("ڨاسم") == "قاسم")
        #expect(SearchFolding.fold("پاشا") == "باشا")
    }

    @Test("Arabic-Indic and Persian digits to ASCII")
    func digits() {
        #expect(SearchFolding.fold("٢٠٢٥") == "2025")
        #expect(SearchFolding.fold("۱۲۳ كلم") == "123 كلم")
    }

    @Test("Latin accents removed, ß, æ, œ expanded")
    func latinAccents() {
        #expect(SearchFolding.fold("Éléonore FAÇADE") == "eleonore facade")
        #expect(SearchFolding.fold("Straße") == "strasse")
        #expect(SearchFolding.fold("Æsir Œuvre") == "aesir oeuvre")
        #expect(SearchFolding.fold("Ouël Ñandú") == "ouel nandu")
    }

    @Test("punctuation and symbols separate words; single spaces; transliteration signs removed")
    func punctuation() {
        #expect(SearchFolding.fold("  Hello,   world!! — ok  ") == "hello world ok")
        #expect(SearchFolding.fold("l'oued") == "l oued")
        #expect(SearchFolding.fold("Saʿīd") == "said")
        #expect(SearchFolding.fold("DZ-TN-OUM-TEBOUL") == "dz tn oum teboul")
        #expect(SearchFolding.fold("سلام، عليكم؟") == "سلام عليكم")
        #expect(SearchFolding.fold("😀 🇩🇿 ... ---").isEmpty)
        #expect(SearchFolding.fold("").isEmpty)
    }

    @Test("other scripts' letters kept, lowercased")
    func otherScripts() {
        #expect(SearchFolding.fold("Москва") == "москва")
    }

    @Test("a query and a text fold alike; folding is idempotent")
    func idempotent() {
        for text in ["محمد بن يوسف", "Mohamed Ben Youssef", "آمنة – Éléonore", "٢٠٢٥-06-02"] {
            let once = SearchFolding.fold(text)
            #expect(SearchFolding.fold(once) == once)
        }
        #expect(SearchFolding.fold("MOHAMED  ben-YOUSSEF") == SearchFolding.fold("mohamed ben youssef"))
    }

    @Test("bounded: a huge text reads only maximumScalars scalars; marks only give nothing")
    func bounded() {
        let huge = String(repeating: "ab ", count: 200_000)
        let folded = SearchFolding.fold(huge)
        #expect(folded.unicodeScalars.count <= SearchFolding.maximumScalars)
        #expect(folded.hasPrefix("ab ab"))
        #expect(SearchFolding.fold(String(repeating: "\u{064E}", count: 100_000)).isEmpty)
        #expect(SearchFolding.fold(String(repeating: "\u{FDFA}", count: 100_000)).unicodeScalars.count <= SearchFolding.maximumScalars * 4)
    }
}
