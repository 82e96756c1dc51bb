/// A person's name prepared for matching: normalised, cut into units, transcribed (docs/NAMES.md).
/// Prepare each stored name once and compare prepared names: ``NameMatcher/score(_:_:)``.
public struct PersonName: Sendable, Hashable {
    /// The units of the name, in the order written.
    public let units: [NameUnit]
    let skeletons: [[UInt8]]

    /// Prepares `text` (Arabic or Latin letters, or both; at most ``NameText/maximumScalars`` read).
    public init(_ text: String) {
        units = NameUnits.units(of: text)
        skeletons = units.map { PersonName.skeleton($0.phones[...]) }
    }

    init(units: [NameUnit]) {
        self.units = units
        skeletons = units.map { PersonName.skeleton($0.phones[...]) }
    }

    /// The consonant skeleton of some phones: hard consonants only, in coarse classes.
    static func skeleton(_ phones: ArraySlice<Phone>) -> [UInt8] {
        var result: [UInt8] = []
        for phone in phones {
            guard let letter = phone.skeletonLetter else { continue }
            if result.last != letter { result.append(letter) }
        }
        // A final h is written or not (Salah / صلاح, Abdallah / Abdalla).
        if result.count > 1, result.last == UInt8(ascii: "H") { result.removeLast() }
        return result
    }

    /// Keys under which a store indexes this name so that candidates are found by lookup, not by
    /// comparing with everything: for each unit, the first three letters of its core's skeleton
    /// in blocking classes (docs/NAMES.md, "Blocking"). Two names are candidates when they share a
    /// key; the evaluation reports how many true matches share one.
    public var blockingKeys: Set<String> {
        var keys = Set<String>()
        for unit in units {
            let core = unit.phones[min(unit.coreStart, unit.phones.count)...]
            for key in PersonName.blockingKeys(core) { keys.insert(key) }
            if unit.coreStart > 0 {
                for key in PersonName.blockingKeys(unit.phones[...]) { keys.insert(key) }
            }
        }
        return keys
    }

    /// The blocking keys of each unit, in the order written: its core's key and, for a unit with a
    /// particle, the whole unit's (the same keys as ``blockingKeys``, kept apart per unit).
    public var unitBlockingKeys: [Set<String>] {
        units.map { unit in
            var keys = Set(PersonName.blockingKeys(unit.phones[min(unit.coreStart, unit.phones.count)...]))
            if unit.coreStart > 0 { keys.formUnion(PersonName.blockingKeys(unit.phones[...])) }
            return keys
        }
    }

    /// The most units whose pairs give ``pairBlockingKeys`` (the first ones written).
    public static let maximumPairedUnits = 5

    /// Keys of two units together, `A+B` with the two unit keys in sorted order, for every pair of
    /// units (of the first ``maximumPairedUnits``). A full name shares one with its other
    /// spellings whenever two of its units keep their keys, in any order (surname first or not),
    /// and a pair's bucket in a store is far smaller than a unit's: Mohamed alone is a tenth of a
    /// region's men, Mohamed with Youssef a small fraction of that. Empty for a one-unit name.
    public var pairBlockingKeys: Set<String> {
        let perUnit = Array(unitBlockingKeys.prefix(Self.maximumPairedUnits))
        var keys = Set<String>()
        for i in perUnit.indices {
            for j in perUnit.indices where j > i {
                for a in perUnit[i] {
                    for b in perUnit[j] { keys.insert(a < b ? "\(a)+\(b)" : "\(b)+\(a)") }
                }
            }
        }
        return keys
    }

    static let blockingLength = 3

    static func blockingKeys(_ phones: ArraySlice<Phone>) -> [String] {
        var letters: [UInt8] = []
        for phone in phones {
            let letter: UInt8
            switch phone {
            // rh, ch, a final t and Latin j keep the keys of gh, sh, t and j that they were read
            // as before (an index's stored keys stay valid).
            case .k, .q, .g, .gh, .j, .kh, .rh, .latinJ: letter = UInt8(ascii: "K")
            case .t, .th, .finalT: letter = UInt8(ascii: "T")
            case .d, .dz, .z: letter = UInt8(ascii: "D")
            case .s, .sh, .ch: letter = UInt8(ascii: "S")
            case .h: letter = UInt8(ascii: "H")
            case .b, .f: letter = UInt8(ascii: "B")
            case .r: letter = UInt8(ascii: "R")
            case .l: letter = UInt8(ascii: "L")
            case .m: letter = UInt8(ascii: "M")
            case .n: letter = UInt8(ascii: "N")
            default: continue
            }
            if letters.last != letter { letters.append(letter) }
            if letters.count == blockingLength { break }
        }
        guard !letters.isEmpty else { return [] }
        return [String(decoding: letters, as: UTF8.self)]
    }
}
