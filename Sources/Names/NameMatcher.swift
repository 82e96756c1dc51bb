/// Scores two person names, Arabic or Latin, in 0…1: how alike they are as spellings of one name
/// (docs/NAMES.md). A ranked score, not a verdict: callers compare it with ``NameMatcher/threshold``
/// (chosen on the development split) or rank candidates by it. Symmetric; never traps.
public struct NameMatcher: Sendable {
    /// The weights of the score; the defaults are those docs/NAMES.md reports figures for.
    public struct Weights: Sendable {
        /// Per unit: the weight of the alignment similarity (the rest goes to Jaro-Winkler on skeletons).
        public var alignment = 0.9
        /// Per unit: the weight of Jaro-Winkler on the consonant skeletons.
        public var jaroWinkler = 0.05
        /// Per unit: the weight of skeleton equality.
        public var skeleton = 0.05
        /// Alignment cost per consonant that takes the similarity to zero (cost / (this × consonants)).
        public var costScale = 1.5
        /// Subtracted when a unit is compared without its particle (Ben Youssef / Youssef).
        public var particlePenalty = 0.12
        /// Subtracted per unit of the longer name left unmatched (a missing middle name).
        public var missingUnitPenalty = 0.06
        /// Full names: how much the weakest matched unit counts against the mean (0: mean only).
        public var weakestUnitWeight = 0.5
        /// Alignment: a short vowel written on one side only.
        public var shortVowelGap = 0.12
        /// Alignment: a long vowel with nothing on the other side.
        public var longVowelGap = 0.45
        /// Alignment: two vowels of different quality.
        public var vowelMismatch = 0.35
        /// Alignment: a Latin final t against a final ه or ة (the taa marbuta read -et/-at).
        public var taaMarbutaT = 0.15
        /// Alignment: an Arabic final ي against a Latin a (an alef maqsura written with dots).
        public var alefMaqsura = 0.1
        /// Alignment: Latin ch against kh or خ (German and Dutch ch).
        public var chAsKh = 0.3
        /// Alignment: Latin rh against r followed by ح or ه.
        public var rhSplit = 0.1
        /// Alignment: Latin j against a y or ي.
        public var jAsY = 0.2
        /// The defaults.
        public init() {}
    }

    /// The score at or above which two names are reported as a match (docs/NAMES.md, "Threshold").
    public static let threshold = 0.770

    public var weights: Weights

    public init(weights: Weights = Weights()) {
        self.weights = weights
    }

    /// The score of two names given as text.
    public func score(_ a: String, _ b: String) -> Double {
        score(PersonName(a), PersonName(b))
    }

    /// The score of two prepared names, in 0…1.
    public func score(_ a: PersonName, _ b: PersonName) -> Double {
        if a.units.isEmpty || b.units.isEmpty { return 0 }
        // The name with fewer units is matched into the other (order-free: surname first or last).
        let (short, long) = a.units.count <= b.units.count ? (a, b) : (b, a)
        var best = assignmentScore(short, long)
        if long.units.count > short.units.count, long.units.count <= 5 {
            // A compound joined on one side and split on the other (Mohamed Lamine / Mohamedlamine).
            for index in 0..<(long.units.count - 1) {
                var units = long.units
                let joined = NameUnit(
                    phones: Transcription.finish(units[index].phones + units[index + 1].phones),
                    coreStart: units[index].coreStart, text: units[index].text + "+" + units[index + 1].text)
                units.replaceSubrange(index...(index + 1), with: [joined])
                let merged = PersonName(units: units)
                let (s, l) = merged.units.count <= short.units.count ? (merged, short) : (short, merged)
                best = max(best, assignmentScore(s, l))
            }
        }
        return min(1, max(0, best))
    }

    /// Best assignment of every unit of `short` to a distinct unit of `long` (bitmask dynamic
    /// programming: at most 8 units a side, so at most 256 masks).
    func assignmentScore(_ short: PersonName, _ long: PersonName) -> Double {
        let n = short.units.count
        let m = long.units.count
        var similarity = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m {
                similarity[i * m + j] = unitSimilarity(short, i, long, j)
            }
        }
        if n == 1 {
            let best = similarity.max() ?? 0
            return best - weights.missingUnitPenalty * Double(m - 1)
        }
        // dp[mask] = best (sum, minimum) after assigning the first popcount(mask) short units.
        let size = 1 << m
        var sums = [Double](repeating: -1, count: size)
        var minima = [Double](repeating: 1, count: size)
        sums[0] = 0
        var bestTotal = -1.0
        for mask in 0..<size where sums[mask] >= 0 {
            let i = mask.nonzeroBitCount
            if i == n {
                let mean = sums[mask] / Double(n)
                let total = mean - weights.weakestUnitWeight * (mean - minima[mask])
                bestTotal = max(bestTotal, total)
                continue
            }
            for j in 0..<m where mask & (1 << j) == 0 {
                let next = mask | (1 << j)
                let s = similarity[i * m + j]
                let sum = sums[mask] + s
                // Ties on the sum keep the better minimum.
                if sum > sums[next] || (sum == sums[next] && min(minima[mask], s) > minima[next]) {
                    sums[next] = sum
                    minima[next] = min(minima[mask], s)
                }
            }
        }
        return bestTotal - weights.missingUnitPenalty * Double(m - n)
    }

    func unitSimilarity(_ a: PersonName, _ i: Int, _ b: PersonName, _ j: Int) -> Double {
        let x = a.units[i]
        let y = b.units[j]
        if x.coreStart > 0, y.coreStart > 0, x.coreStart < x.phones.count, y.coreStart < y.phones.count {
            // Both carry a particle (Ben Ali / Ben Salah): the names after it are what differ, and
            // the particle's letters must not make them look alike.
            let xs = x.phones[x.coreStart...]
            let ys = y.phones[y.coreStart...]
            return similarity(xs, PersonName.skeleton(xs), ys, PersonName.skeleton(ys))
        }
        var best = similarity(x.phones[...], a.skeletons[i], y.phones[...], b.skeletons[j])
        if best < 1, x.coreStart > 0 || y.coreStart > 0 {
            let xs = x.phones[min(x.coreStart, x.phones.count)...]
            let ys = y.phones[min(y.coreStart, y.phones.count)...]
            if !xs.isEmpty, !ys.isEmpty, x.coreStart == 0 || y.coreStart == 0 {
                let core =
                    similarity(xs, PersonName.skeleton(xs), ys, PersonName.skeleton(ys)) - weights.particlePenalty
                best = max(best, core)
            }
        }
        return best
    }

    func similarity(_ a: ArraySlice<Phone>, _ skeletonA: [UInt8], _ b: ArraySlice<Phone>, _ skeletonB: [UInt8])
        -> Double
    {
        // One order for both calls, so that the score is symmetric to the last bit.
        if b.lexicographicallyPrecedes(a, by: { $0.rawValue < $1.rawValue }) {
            return similarity(b, skeletonB, a, skeletonA)
        }
        let consonants = 0.5 * Double(skeletonA.count + skeletonB.count)
        let cost = PhoneAlignment(
            shortVowelGap: weights.shortVowelGap, longVowelGap: weights.longVowelGap,
            vowelMismatch: weights.vowelMismatch, taaMarbutaT: weights.taaMarbutaT,
            alefMaqsura: weights.alefMaqsura, chAsKh: weights.chAsKh, rhSplit: weights.rhSplit,
            jAsY: weights.jAsY
        ).cost(a, b)
        let alignment = max(0, 1 - cost / (weights.costScale * max(1, consonants)))
        let jaroWinkler = JaroWinkler.similarity(skeletonA, skeletonB)
        let same: Double = skeletonA == skeletonB && !skeletonA.isEmpty ? 1 : 0
        return weights.alignment * alignment + weights.jaroWinkler * jaroWinkler + weights.skeleton * same
    }
}
