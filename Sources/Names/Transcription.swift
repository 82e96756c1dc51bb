/// Arabic and Latin spellings of one word into ``Phone`` classes (docs/NAMES.md, "Transcription").
enum Transcription {
    static func phones(of word: NameWord) -> [Phone] {
        switch word.script {
        case .arabic: return arabic(word.letters)
        case .latin: return latin(word.letters.map { UInt8(truncatingIfNeeded: $0.value) })
        }
    }

    // MARK: Arabic

    static func arabic(_ letters: [Unicode.Scalar]) -> [Phone] {
        var phones: [Phone] = []
        phones.reserveCapacity(letters.count + 1)
        var start = 0
        // The article: ال at the start of a longer word is "al", "el" or assimilated (Essaidi).
        if letters.count >= 4, letters[0] == "\u{0627}", letters[1] == "\u{0644}" {
            phones.append(.anyVowel)
            phones.append(.weakL)
            start = 2
        }
        for index in start..<letters.count {
            let isFinal = index == letters.count - 1
            switch letters[index].value {
            case 0x0627: phones.append(index == start ? .anyVowel : .aLong)
            case 0x0628: phones.append(.b)
            case 0x062A, 0x0637: phones.append(.t)
            case 0x062B: phones.append(.th)
            case 0x062C: phones.append(.j)
            case 0x062D: phones.append(.h)
            case 0x062E: phones.append(.kh)
            case 0x062F where index + 1 < letters.count && letters[index + 1] == "\u{062C}":
                break  // دج: the Algerian spelling of ج after French dj; the ج that follows is the sound
            case 0x062F, 0x0636: phones.append(.d)
            case 0x0630, 0x0638: phones.append(.dz)
            case 0x0631: phones.append(.r)
            case 0x0632: phones.append(.z)
            case 0x0633, 0x0635: phones.append(.s)
            case 0x0634: phones.append(.sh)
            case 0x0639, 0x0621: phones.append(.anyVowel)
            case 0x063A: phones.append(.gh)
            case 0x0641: phones.append(.f)
            case 0x0642: phones.append(.q)
            case 0x0643: phones.append(.k)
            case 0x0644: phones.append(.l)
            case 0x0645: phones.append(.m)
            case 0x0646: phones.append(.n)
            case 0x0647: phones.append(isFinal && index > 0 ? .weakH : .h)
            case 0x0629: phones.append(.weakH)
            case 0x0648 where index > start && letters[index - 1] == "\u{0648}":
                break  // وو is w and a long u, which French writes as one ou (داوود / Daoud, طاووس / Taous)
            case 0x0648: phones.append(.uLong)
            case 0x064A:
                // A final ي after a consonant may be an alef maqsura written with dots (عيسي, ضحي).
                let afterConsonant = index >= 2 && letters[index - 1] != "\u{0627}"
                phones.append(isFinal && afterConsonant ? .iOrALong : .iLong)
            case 0x0649: phones.append(.aLong)
            default: break  // digits and anything else carry no sound
            }
        }
        return phones
    }

    // MARK: Latin

    static func isVowelLetter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o")
            || c == UInt8(ascii: "u")
    }

    static func latin(_ word: [UInt8]) -> [Phone] {
        var letters = word.filter { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        // A French final e after a consonant is silent (Amine, Yacine, Rahmane).
        if letters.count > 3, letters.last == UInt8(ascii: "e"), !isVowelLetter(letters[letters.count - 2]) {
            letters.removeLast()
        }
        var phones: [Phone] = []
        phones.reserveCapacity(letters.count + 1)
        let n = letters.count
        func at(_ i: Int) -> UInt8 { i < n ? letters[i] : 0 }
        var i = 0
        // The article written joined: Elaziz, Alzarouq, and in Maghrebi French a bare l before a
        // vowel (Lahouari for el-Houari, Lamouri for el-Amouri). It may be absent on the other side.
        if n >= 5, letters[0] == UInt8(ascii: "e") || letters[0] == UInt8(ascii: "a"), letters[1] == UInt8(ascii: "l"),
            letters[2] != UInt8(ascii: "l")
        {
            phones.append(.anyVowel)
            phones.append(.weakL)
            i = 2
        } else if n >= 4, letters[0] == UInt8(ascii: "l"), letters[1] != UInt8(ascii: "l") {
            phones.append(.weakL)
            i = 1
        }
        while i < n {
            let c = letters[i]
            let next = at(i + 1)
            switch c {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"):
                // Each vowel letter is a vowel, except the pairs that spell one: French ou (a short
                // u: Aouicha is a-ou-i), and aa, oo, uu, ee, ii, ei, ey (long).
                switch (c, next) {
                case (UInt8(ascii: "o"), UInt8(ascii: "u")):
                    phones.append(.uShort)
                    i += 2
                case (UInt8(ascii: "a"), UInt8(ascii: "a")):
                    phones.append(.aLong)
                    i += 2
                case (UInt8(ascii: "o"), UInt8(ascii: "o")), (UInt8(ascii: "u"), UInt8(ascii: "u")):
                    phones.append(.uLong)
                    i += 2
                case (UInt8(ascii: "e"), UInt8(ascii: "e")), (UInt8(ascii: "i"), UInt8(ascii: "i")),
                    (UInt8(ascii: "e"), UInt8(ascii: "i")),
                    (UInt8(ascii: "e"), UInt8(ascii: "y")):
                    phones.append(.iLong)
                    i += 2
                default:
                    switch c {
                    case UInt8(ascii: "a"): phones.append(.aShort)
                    case UInt8(ascii: "e"): phones.append(.eShort)
                    case UInt8(ascii: "i"): phones.append(.iShort)
                    default: phones.append(.uShort)
                    }
                    i += 1
                }
                continue
            case UInt8(ascii: "y"): phones.append(.iShort)
            case UInt8(ascii: "w"): phones.append(.uShort)
            case UInt8(ascii: "b"): phones.append(.b)
            case UInt8(ascii: "p"):
                if next == UInt8(ascii: "h") {
                    phones.append(.f)
                    i += 2
                    continue
                }
                phones.append(.b)
            case UInt8(ascii: "c"):
                if next == UInt8(ascii: "h") {
                    phones.append(.ch)  // French sh, German and Dutch kh
                    i += 2
                    continue
                } else if next == UInt8(ascii: "k") {
                    phones.append(.k)
                    i += 2
                    continue
                } else if next == UInt8(ascii: "e") || next == UInt8(ascii: "i") || next == UInt8(ascii: "y") {
                    phones.append(.s)
                } else {
                    phones.append(.k)
                }
            case UInt8(ascii: "d"):
                if next == UInt8(ascii: "j") {
                    phones.append(.j)
                    i += 2
                    continue
                } else if next == UInt8(ascii: "h") {
                    phones.append(.dz)
                    i += 2
                    continue
                }
                phones.append(.d)
            case UInt8(ascii: "f"), UInt8(ascii: "v"): phones.append(.f)
            case UInt8(ascii: "g"):
                if next == UInt8(ascii: "h") {
                    phones.append(.gh)
                    i += 2
                    continue
                } else if next == UInt8(ascii: "u"), at(i + 2) == UInt8(ascii: "e") || at(i + 2) == UInt8(ascii: "i") {
                    phones.append(.g)  // Guerrouj, Guilani: the u only hardens the g
                    i += 2
                    continue
                }
                phones.append(.g)
            case UInt8(ascii: "h"):
                // A final h after a vowel is often only a spelling of the final vowel (Fatimah, Abdallah).
                if i == n - 1, i > 0, isVowelLetter(letters[i - 1]) {
                    phones.append(.weakH)
                } else {
                    phones.append(.h)
                }
            case UInt8(ascii: "j"): phones.append(.latinJ)
            case UInt8(ascii: "k"):
                if next == UInt8(ascii: "h") {
                    phones.append(.kh)
                    i += 2
                    continue
                }
                phones.append(.k)
            case UInt8(ascii: "l"): phones.append(.l)
            case UInt8(ascii: "m"): phones.append(.m)
            case UInt8(ascii: "n"): phones.append(.n)
            case UInt8(ascii: "q"):
                if next == UInt8(ascii: "u"), at(i + 2) == UInt8(ascii: "e") || at(i + 2) == UInt8(ascii: "i") {
                    phones.append(.q)  // Chafique, Marzouqi: French qu is q
                    i += 2
                    continue
                }
                phones.append(.q)
            case UInt8(ascii: "r"):
                if next == UInt8(ascii: "h") {
                    phones.append(.rh)  // Moroccan French rh for غ (Rharbi), or r + ح (Farhan)
                    i += 2
                    continue
                }
                phones.append(.r)
            case UInt8(ascii: "s"):
                if next == UInt8(ascii: "h") {
                    phones.append(.sh)
                    i += 2
                    continue
                } else if next == UInt8(ascii: "c"), at(i + 2) == UInt8(ascii: "h") {
                    phones.append(.sh)
                    i += 3
                    continue
                }
                phones.append(.s)
            case UInt8(ascii: "t"):
                if next == UInt8(ascii: "h") {
                    phones.append(.th)
                    i += 2
                    continue
                }
                phones.append(.t)
            case UInt8(ascii: "x"):
                phones.append(.k)
                phones.append(.s)
            case UInt8(ascii: "z"):
                phones.append(.z)
            default: break
            }
            i += 1
        }
        // A final t (or tt) after a vowel may be a taa marbuta read -et/-at (Najet, Najette, Hibat).
        if phones.last == .t {
            while phones.count >= 2, phones[phones.count - 2] == .t { phones.removeLast() }
            if phones.count >= 3, phones[phones.count - 2].isVowel { phones[phones.count - 1] = .finalT }
        }
        return phones
    }

    // MARK: Clean-up shared by both scripts

    /// Doubled consonants are one (Arabic does not write the shadda; Latin doubles or not), the l
    /// of an Abd- compound is the article's (Abderrahmane / Abdelrahman), and the article's l
    /// before the same consonant is one.
    static func finish(_ phones: [Phone]) -> [Phone] {
        var result: [Phone] = []
        result.reserveCapacity(phones.count)
        for phone in phones {
            if let last = result.last {
                if phone.isHardConsonant, phone.plain == last.plain {
                    // A word's final t followed by a word that starts with t (Ait Tahar) is one t.
                    if last == .finalT { result[result.count - 1] = phone }
                    continue
                }
                if phone == .l, last == .weakL {
                    result[result.count - 1] = .l
                    continue
                }
            }
            result.append(phone)
        }
        // "abd" + vowels + l: the article of an Abd- compound.
        var index = 0
        while index < result.count, result[index].isVowel { index += 1 }
        if index + 2 < result.count, result[index] == .b, result[index + 1] == .d {
            var after = index + 2
            while after < result.count, result[after].isVowel { after += 1 }
            if after > index + 2, after < result.count, result[after] == .l { result[after] = .weakL }
        }
        return result
    }
}
