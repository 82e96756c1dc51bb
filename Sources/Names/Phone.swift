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
    // Consonants
    case b = 16
    case t, th, j, g, h, kh, d
    /// ذ and ظ, Latin dh: written d, dh or z.
    case dz
    case r, z, s, sh, gh, f, q, k, l
    /// The article's l (al-, el-, Abdel-): written or assimilated (Abderrahmane, Essaidi).
    case weakL
    case m, n

    /// A vowel of any kind (not a weak consonant).
    var isVowel: Bool { rawValue <= Phone.anyVowel.rawValue }
    /// A consonant that is always written in every spelling (not weak).
    var isHardConsonant: Bool { rawValue >= Phone.b.rawValue && self != .weakL }

    enum Quality { case a, i, u, any }

    var quality: Quality {
        switch self {
        case .aShort, .aLong: return .a
        case .iShort, .iLong: return .i
        case .uShort, .uLong: return .u
        default: return .any
        }
    }

    var isLong: Bool { self == .aLong || self == .iLong || self == .uLong }

    /// The coarse class used by skeletons and blocking keys: consonants that transliterations
    /// exchange share one letter (k q g j gh; t th; d dz z; s; h kh…).
    var skeletonLetter: UInt8? {
        switch self {
        case .b: return UInt8(ascii: "B")
        case .t, .th: return UInt8(ascii: "T")
        case .j: return UInt8(ascii: "J")
        case .g, .q, .k, .gh: return UInt8(ascii: "K")
        case .h, .kh: return UInt8(ascii: "H")
        case .d, .dz: return UInt8(ascii: "D")
        case .r: return UInt8(ascii: "R")
        case .z: return UInt8(ascii: "Z")
        case .s: return UInt8(ascii: "S")
        case .sh: return UInt8(ascii: "C")
        case .f: return UInt8(ascii: "F")
        case .l: return UInt8(ascii: "L")
        case .m: return UInt8(ascii: "M")
        case .n: return UInt8(ascii: "N")
        default: return nil
        }
    }
}
