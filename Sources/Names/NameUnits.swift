/// The units a name is compared by: words, with the region's particles and compounds joined
/// (docs/NAMES.md, "Tokens"). "Abd el-Kader", "Abdelkader" and "عبد القادر" are one unit each;
/// so are "Ben Youssef", "Benyoucef" and "بن يوسف", "Nour Eddine" and "نور الدين".
public struct NameUnit: Sendable, Hashable {
    /// The unit's sound classes, particles and article included.
    public let phones: [Phone]
    /// Where the unit's core starts in ``phones``: after a leading particle (ben, ould, abu…),
    /// so that "Ben Youssef" can also be compared with "Youssef" (at a cost).
    public let coreStart: Int
    /// The unit's normalised words, joined by "+" (for reports).
    public let text: String
}

enum NameUnits {
    /// Particles of descent and kunya, joined to the word that follows.
    static let latinParticles: Set<String> = [
        "ben", "bin", "ibn", "ibnou", "ibnu", "bent", "bint", "ould", "wuld", "ag", "ait", "abu", "abou", "abo", "bou",
        "bu",
    ]
    static let arabicParticles: Set<String> = ["بن", "ابن", "بنت", "ولد", "ابو", "اغ", "ايت", "بو"]
    /// The Abd- compound's first part, joined to what follows (with its article, if written apart).
    static let latinAbd: Set<String> = [
        "abd", "abdel", "abdal", "abdul", "abdoul", "abdou", "abdu", "abde", "abder", "abdes", "abden", "abdet",
        "abdur", "abdus",
        "abdoul", "abdol", "abdil", "abdal",
    ]
    static let arabicAbd: Set<String> = ["عبد"]
    /// The article written apart: al-, el-, and its assimilated forms before a sun letter.
    static let latinArticles: Set<String> = ["al", "el", "il", "ul", "l"]
    static let latinSunArticles: Set<String> = [
        "ad", "ed", "as", "es", "at", "et", "ar", "er", "az", "ez", "an", "en", "ash", "esh", "ech", "ach", "ath",
        "eth", "adh", "edh",
    ]
    /// Second parts of compounds joined to the word before them: -eddine, -allah.
    static let latinSuffixes: Set<String> = [
        "din", "dine", "eddine", "eddin", "uddin", "uddine", "addin", "addine", "iddin", "ddine", "allah", "ullah",
        "ellah", "illah",
        "alla", "ulla", "lah", "llah",
    ]
    static let arabicSuffixes: Set<String> = ["الدين", "الله", "دين"]

    struct Piece {
        var phones: [Phone]
        var coreStart: Int
        var text: String
        var core: String
        var script: NameScript
    }

    static func units(of text: String) -> [NameUnit] {
        var words: [NameWord] = []
        for word in NameText.words(text, foldingForIndex: false) {
            // نورالدين, عبدالله: the compound's second part written joined is split off, so that
            // its article is read as one.
            if word.script == .arabic, let cut = joinedSuffixStart(word.letters) {
                words.append(NameWord(letters: Array(word.letters[..<cut]), script: .arabic))
                words.append(NameWord(letters: Array(word.letters[cut...]), script: .arabic))
            } else {
                words.append(word)
            }
        }
        var pieces: [Piece] = words.map {
            Piece(phones: Transcription.phones(of: $0), coreStart: 0, text: $0.text, core: $0.text, script: $0.script)
        }
        // 1. A separate article joins the word after it (el Kader, ad-Din, Al Mallawani).
        var index = 0
        while index + 1 < pieces.count {
            let word = pieces[index].text
            let nextFirst = pieces[index + 1].phones.first { $0.isHardConsonant }?.plain
            let isArticle =
                pieces[index].script == .latin
                ? latinArticles.contains(word)
                    || (latinSunArticles.contains(word)
                        && pieces[index].phones.last { $0.isHardConsonant }?.plain == nextFirst)
                : word == "ال"
            if isArticle {
                let next = pieces[index + 1]
                pieces[index + 1] = Piece(
                    phones: [.anyVowel, .weakL] + next.phones, coreStart: 0, text: word + "+" + next.text,
                    core: next.core,
                    script: next.script)
                pieces.remove(at: index)
            } else {
                index += 1
            }
        }
        // 2. -eddine, -allah join the word before them (Nour Eddine, Jab Allah).
        index = 1
        while index < pieces.count {
            let core = pieces[index].core
            let isSuffix =
                pieces[index].script == .latin
                ? latinSuffixes.contains(core)
                    || latinSuffixes.contains(pieces[index].text.replacingOccurrences(of: "+", with: ""))
                : arabicSuffixes.contains(core) || core == "دين" || core == "له" || core == "لله"
            let previous = pieces[index - 1]
            if isSuffix, !isParticle(previous), !isAbd(previous) {
                pieces[index - 1] = Piece(
                    phones: previous.phones + pieces[index].phones, coreStart: previous.coreStart,
                    text: previous.text + "+" + pieces[index].text, core: previous.core + pieces[index].core,
                    script: previous.script)
                pieces.remove(at: index)
            } else {
                index += 1
            }
        }
        // 3. Abd- and the particles join the unit after them, from the right so that chains work
        //    (Ben Abd Allah).
        index = pieces.count - 2
        while index >= 0 {
            let piece = pieces[index]
            let abd = isAbd(piece)
            if abd || isParticle(piece) {
                let next = pieces[index + 1]
                pieces[index] = Piece(
                    phones: piece.phones + next.phones, coreStart: abd ? 0 : piece.phones.count + next.coreStart,
                    text: piece.text + "+" + next.text, core: piece.core + next.core, script: next.script)
                pieces.remove(at: index + 1)
            }
            index -= 1
        }
        return pieces.compactMap { piece in
            let finished = Transcription.finish(piece.phones)
            guard finished.contains(where: { $0.isHardConsonant || $0.isVowel }) else { return nil }
            // The core's start after the clean-up: count the particle's phones that survive.
            let prefix = Transcription.finish(Array(piece.phones.prefix(piece.coreStart)))
            let coreStart = min(prefix.count, finished.count)
            return NameUnit(phones: finished, coreStart: coreStart, text: piece.text)
        }
    }

    static let joinedSuffixes: [[Unicode.Scalar]] = ["الدين", "الله"].map { Array($0.unicodeScalars) }

    static func joinedSuffixStart(_ letters: [Unicode.Scalar]) -> Int? {
        for suffix in joinedSuffixes where letters.count >= suffix.count + 2 {
            if Array(letters.suffix(suffix.count)) == suffix { return letters.count - suffix.count }
        }
        return nil
    }

    static func isParticle(_ piece: Piece) -> Bool {
        piece.text == piece.core
            && (piece.script == .latin ? latinParticles.contains(piece.text) : arabicParticles.contains(piece.text))
    }

    static func isAbd(_ piece: Piece) -> Bool {
        piece.text == piece.core
            && (piece.script == .latin ? latinAbd.contains(piece.text) : arabicAbd.contains(piece.text))
    }
}
