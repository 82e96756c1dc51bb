/// One sound class of the common phonetic alphabet that Arabic and Latin spellings are both
/// transcribed into (docs/NAMES.md, "Phonetic classes"). Consonants are classes of letters that
/// transliterations confuse (ت ط t; س ص s c ç; ك k c; ق q k g…); vowels keep only a quality
/// (a, i, u, or any) and whether the spelling marks them long (Arabic ا و ي, Latin "aa", "ei"…).
/// A few symbols are weak: they may be absent on the other side at little cost (the article's l,
/// a final ه or ة, ع, an initial alef).
public enum Phone: UInt8, Sendable, CaseIterable {
    // Vowels
    case aShort = 1
    case aLong, iShort, iLong, uShort, uLong
    /// Latin e: any short vowel (Mohamed for محمد, Amine, Hassene).
    case eShort
    /// Any vowel or none: ع, hamza, an initial alef.
    case anyVowel
    /// A final ه or ة (Fatima / فاطمة, Abdallah / عبد الله), a Latin final h after a vowel.
    case weakH
    /// An Arabic final ي after a consonant: a long i (the nisba -i), or an alef maqsura ى written
    /// with dots, as Egyptian spelling and ى → ي folding do (عيسي / Issa, يحيي / Yahia, ضحي / Doha).
    case iOrALong = 10
    // Consonants
    case b = 16
    case t, th, j, g, h, kh, d
    /// ذ and ظ, Latin dh: written d, dh or z.
    case dz
    case r, z, s, sh, gh, f, q, k, l
    /// The article's l (al-, el-, Abdel-): written or assimilated (Abderrahmane, Essaidi).
    case weakL
    case m, n
    /// Latin rh: غ in Moroccan French (Rharbi, Rhazoui), or r followed by ح or ه (Farhan / فرحان,
    /// Rhouma / رحومة, Barhoumi / برهومي).
    case rh
    /// Latin ch: French sh (Chaouch / شاوش), or kh in German and Dutch spellings (Chalifa / خليفة,
    /// Chamis / خميس).
    case ch
    /// A Latin final t after a vowel: t, or a taa marbuta read -et/-at as Maghrebi and Turkish
    /// spellings write it (Najet / نجاة, Hayet / حياة, Hibat Allah / هبة الله).
    case finalT
    /// Latin j alone (not dj): French and English j (Jamal / جمال), or y as German, Dutch and
    /// Polish write it (Jahja / يحيى, Ruwajda / رويدا).
    case latinJ

    /// A vowel of any kind (not a weak consonant).
    var isVowel: Bool { rawValue <= Phone.anyVowel.rawValue || self == .iOrALong }
    /// A consonant that is always written in every spelling (not weak).
    var isHardConsonant: Bool { rawValue >= Phone.b.rawValue && self != .weakL }

    enum Quality { case a, i, u, any }

    var quality: Quality {
        switch self {
        case .aShort, .aLong: return .a
        case .iShort, .iLong, .iOrALong: return .i
        case .uShort, .uLong: return .u
        default: return .any
        }
    }

    var isLong: Bool { self == .aLong || self == .iLong || self == .uLong || self == .iOrALong }

    /// A phone that reads two ways (``rh``, ``ch``, ``finalT``, ``latinJ``, ``iOrALong``).
    var isAmbiguous: Bool { rawValue >= Phone.rh.rawValue || self == .iOrALong }

    /// The plain phone an ambiguous one is otherwise compared as: rh as gh, ch as sh, a final t as
    /// t, Latin j as j, a final ي as a long i.
    var plain: Phone {
        switch self {
        case .rh: return .gh
        case .ch: return .sh
        case .finalT: return .t
        case .iOrALong: return .iLong
        case .latinJ: return .j
        default: return self
        }
    }

    /// The coarse class used by skeletons and blocking keys: consonants that transliterations
    /// exchange share one letter (k q g j gh; t th; d dz z; s; h kh…).
    var skeletonLetter: UInt8? {
        switch self {
        case .b: return UInt8(ascii: "B")
        case .t, .th, .finalT: return UInt8(ascii: "T")
        case .j, .latinJ: return UInt8(ascii: "J")
        case .g, .q, .k, .gh, .rh: return UInt8(ascii: "K")
        case .h, .kh: return UInt8(ascii: "H")
        case .d, .dz: return UInt8(ascii: "D")
        case .r: return UInt8(ascii: "R")
        case .z: return UInt8(ascii: "Z")
        case .s: return UInt8(ascii: "S")
        case .sh, .ch: return UInt8(ascii: "C")
        case .f: return UInt8(ascii: "F")
        case .l: return UInt8(ascii: "L")
        case .m: return UInt8(ascii: "M")
        case .n: return UInt8(ascii: "N")
        default: return nil
        }
    }
}
