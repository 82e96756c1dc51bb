/// The cost of turning one unit's phones into another's: a weighted edit distance whose weights
/// say what transliterations do (docs/NAMES.md, "Per-unit similarity"). A short vowel written or
/// not costs little, a long vowel less so, a consonant of the same class nothing, a consonant of a
/// near class (k/q/g, d/dz/z, t/th/s) a fraction, any other consonant added, dropped or changed a whole.
struct PhoneAlignment: Sendable {
    static let consonantCost = 1.0
    /// A short vowel written on one side only.
    var shortVowelGap = 0.12
    /// A long vowel (Arabic ا و ي, Latin aa ee ou…) with nothing on the other side.
    var longVowelGap = 0.45
    /// Two vowels of different quality (a / i / u).
    var vowelMismatch = 0.35
    /// A Latin final t against a final ه or ة (Najet / نجاة: the taa marbuta read -et).
    var taaMarbutaT = 0.15
    /// An Arabic final ي against a Latin a (عيسي / Issa: an alef maqsura written with dots).
    var alefMaqsura = 0.1
    /// Latin ch against kh or خ (Chalifa / خليفة: German and Dutch ch).
    var chAsKh = 0.3
    /// Latin rh against r followed by ح or ه (Farhan / فرحان).
    var rhSplit = 0.1
    /// Latin j against a y or ي (German, Dutch, Polish j: Jahja / يحيى).
    var jAsY = 0.2

    func deletionCost(_ phone: Phone) -> Double {
        switch phone {
        case .anyVowel: return 0.05
        case .weakH: return 0.05
        case .weakL: return 0.1
        case .aShort, .iShort, .uShort, .eShort: return shortVowelGap
        case .aLong, .iLong, .uLong, .iOrALong: return longVowelGap
        default: return Self.consonantCost
        }
    }

    static let digraphSplitCost = 0.2

    /// The first letter of a digraph phone written as two letters elsewhere (th → t + h).
    static func splitBase(_ phone: Phone) -> Phone? {
        switch phone {
        case .th: return .t
        case .dz: return .d
        case .sh: return .s
        case .kh: return .k
        case .gh: return .g
        case .rh: return .r
        case .ch: return .s
        default: return nil
        }
    }

    func substitutionCost(_ a: Phone, _ b: Phone) -> Double {
        if a == b { return 0 }
        if a.isAmbiguous || b.isAmbiguous { return ambiguousCost(a, b) }
        if a.isVowel, b.isVowel {
            if a == .anyVowel || b == .anyVowel { return 0 }
            let qa = a.quality
            let qb = b.quality
            if qa == qb { return 0 }
            // Latin e stands for a, i or a schwa; rarely for a long u.
            if a == .eShort || b == .eShort {
                let other = a == .eShort ? b : a
                return other == .uLong ? 0.3 : 0.05
            }
            return vowelMismatch
        }
        if a == .weakH || b == .weakH {
            let other = a == .weakH ? b : a
            if other.isVowel { return 0.05 }
            if other == .h { return 0.1 }
            return Self.consonantCost
        }
        if a == .weakL || b == .weakL {
            let other = a == .weakL ? b : a
            return other == .l ? 0 : Self.consonantCost
        }
        if a.isVowel || b.isVowel { return Self.consonantCost }
        return Self.nearConsonantCost(a, b)
    }

    /// A phone that reads two ways against another: its second reading at its own cost, or its
    /// plain reading (rh as gh, ch as sh, a final t as t, Latin j as j, a final ي as a long i).
    func ambiguousCost(_ a: Phone, _ b: Phone) -> Double {
        min(secondReadingCost(a, b), secondReadingCost(b, a), substitutionCost(a.plain, b.plain))
    }

    /// The cost of reading `x` its second way against `y`, or infinity when that reading does not apply.
    func secondReadingCost(_ x: Phone, _ y: Phone) -> Double {
        switch x {
        case .finalT where y == .weakH: return taaMarbutaT
        case .ch where y == .kh: return chAsKh
        case .iOrALong where y.quality == .a: return alefMaqsura
        case .latinJ where y.quality == .i && y.isVowel: return jAsY
        default: return .infinity
        }
    }

    static func nearConsonantCost(_ a: Phone, _ b: Phone) -> Double {
        switch (a, b) {
        case (.k, .q), (.q, .k): return 0.05
        case (.g, .j), (.j, .g), (.g, .q), (.q, .g), (.g, .gh), (.gh, .g): return 0.1
        case (.g, .k), (.k, .g): return 0.25
        case (.kh, .h), (.h, .kh), (.kh, .k), (.k, .kh): return 0.35
        case (.gh, .q), (.q, .gh), (.gh, .r), (.r, .gh): return 0.5
        case (.gh, .kh), (.kh, .gh): return 0.35
        case (.th, .t), (.t, .th): return 0.1
        case (.th, .s), (.s, .th): return 0.3
        case (.dz, .d), (.d, .dz), (.dz, .z), (.z, .dz): return 0.1
        case (.dz, .th), (.th, .dz): return 0.3
        case (.d, .t), (.t, .d): return 0.5
        case (.s, .z), (.z, .s): return 0.4
        case (.s, .sh), (.sh, .s): return 0.5
        case (.j, .z), (.z, .j): return 0.5
        case (.j, .sh), (.sh, .j): return 0.5
        case (.b, .f), (.f, .b): return 0.6
        default: return Self.consonantCost
        }
    }

    /// The least total cost of aligning `a` with `b` (both at most a few dozen phones).
    func cost(_ a: ArraySlice<Phone>, _ b: ArraySlice<Phone>) -> Double {
        let m = b.count
        var previous = [Double](repeating: 0, count: m + 1)
        var current = [Double](repeating: 0, count: m + 1)
        var k = 0
        for phone in b {
            previous[k + 1] = previous[k] + deletionCost(phone)
            k += 1
        }
        // Two rows back as well: a Latin digraph (th, dh, sh, kh, gh) may stand for two letters
        // on the other side (Fathi / فتحي, Adham / ادهم, Ishak / اسحاق).
        var twoBack = [Double](repeating: .infinity, count: m + 1)
        let bs = Array(b)
        var previousX: Phone?
        for x in a {
            current[0] = previous[0] + deletionCost(x)
            let dx = deletionCost(x)
            for j in 0..<m {
                let y = bs[j]
                var best = min(
                    previous[j] + substitutionCost(x, y), min(previous[j + 1] + dx, current[j] + deletionCost(y)))
                if j >= 1, y == .h, let base = Self.splitBase(x),
                    bs[j - 1].plain == base || Self.nearConsonantCost(bs[j - 1].plain, base) <= 0.1
                {
                    best = min(best, previous[j - 1] + (x == .rh ? rhSplit : Self.digraphSplitCost))
                }
                if let px = previousX, x == .h, let base = Self.splitBase(y),
                    px.plain == base || Self.nearConsonantCost(px.plain, base) <= 0.1
                {
                    best = min(best, twoBack[j] + (y == .rh ? rhSplit : Self.digraphSplitCost))
                }
                current[j + 1] = best
            }
            twoBack = previous
            swap(&previous, &current)
            previousX = x
        }
        return previous[m]
    }
}

/// Jaro-Winkler similarity of two byte strings (Winkler 1990: prefix scale 0.1, up to 4 characters).
enum JaroWinkler {
    static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let low = max(0, i - window)
            let high = min(b.count - 1, i + window)
            if low > high { continue }
            for j in low...high where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, min(a.count, b.count)), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}
