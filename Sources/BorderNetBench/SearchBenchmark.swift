import Clearance
import Exchange
import Foundation
import Observables
import SearchIndex
import Store

/// The search index measured on its own (docs/SEARCH.md, docs/PERFORMANCE.md): generated
/// bulletins (``GeneratedBulletins``) indexed in the indexer's batches — the cost per bulletin of
/// indexing and correlation, the links made, the bytes per bulletin — then searches of each kind
/// timed over the whole index, as the operator (everything) and as a reader of two working groups
/// without RED.
struct SearchBenchmark {
    struct Figures: Codable {
        var bulletins: Int
        var batchSize: Int
        /// Indexing with correlation, wall time per bulletin (one thread, as in the node).
        var indexingMicrosecondsPerBulletin: Double?
        /// The same for the last tenth indexed: the cost once the index is large.
        var lastTenthIndexingMicrosecondsPerBulletin: Double?
        var linksPerBulletin: Double?
        var indexBytesPerBulletin: Double
        var queries: Int
        /// Per query kind: milliseconds.
        var searchMilliseconds: [String: Quantiles]
        /// Every query together.
        var allSearchesMilliseconds: Quantiles
    }

    struct Quantiles: Codable {
        var p50: Double
        var p95: Double
        var p99: Double
        var max: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            p50 = at(0.5)
            p95 = at(0.95)
            p99 = at(0.99)
            max = sorted.last ?? .nan
        }
    }

    let schemas: URL
    let bulletins: Int
    /// A `search.sqlite` to time the searches over instead of building one (`--search-index`):
    /// the indexing figures are then absent.
    var existingIndex: String? = nil
    let batchSize = 500

    func run(say: (String) -> Void) throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-search-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = existingIndex ?? folder.appendingPathComponent("search.sqlite").path
        var generator = try GeneratedBulletins(schemas: schemas)
        var indexingSeconds = 0.0
        var lastTenthSeconds = 0.0
        var lastTenthCount = 0
        var links = 0
        var made = 0
        var nextReport = Date().addingTimeInterval(10)
        if existingIndex != nil {
            made = try SearchReader(path: path).bulletinCount()
            say("  searching the \(made) bulletins of \(path)")
        } else {
            let index = try SearchIndex(path: path)
            while made < bulletins {
                var batch: [StoredBulletin] = []
                for _ in 0..<min(batchSize, bulletins - made) { batch.append(try generator.next()) }
                let start = ContinuousClock.now
                let indexed = try index.index(batch, own: { _ in false })
                let seconds = (ContinuousClock.now - start).seconds
                indexingSeconds += seconds
                made += batch.count
                if made > bulletins - bulletins / 10 {
                    lastTenthSeconds += seconds
                    lastTenthCount += batch.count
                }
                links += indexed.reduce(0) { $0 + $1.links.count }
                if Date() >= nextReport {
                    say("  indexed \(made) of \(bulletins) (\(String(format: "%.0f", indexingSeconds * 1_000_000 / Double(made))) µs each so far)")
                    nextReport = Date().addingTimeInterval(10)
                }
            }
        }
        let bytes = [path, path + "-wal"].reduce(Int64(0)) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
        }

        // The queries: names written in the other script or another spelling than most bulletins
        // hold them, words of each language, filters, an identifier, under two scopes.
        let reader = try SearchReader(path: path)
        let restricted = ReadableScope.restricted(workingGroups: [.security, .customs], tlps: [.clear, .green, .amber], permittedHandling: [])
        var kinds: [(String, (inout SplitMix64) -> SearchQuery)] = []
        kinds.append(("name, Latin for Arabic", { random in
            let given = GeneratedBulletins.givenNames[random.below(GeneratedBulletins.givenNames.count)]
            let family = GeneratedBulletins.familyNames[random.below(GeneratedBulletins.familyNames.count)]
            return SearchQuery(scope: .everything, text: "\(given.latin.last ?? "") \(family.latin.last ?? "")")
        }))
        kinds.append(("name, Arabic for Latin", { random in
            let given = GeneratedBulletins.givenNames[random.below(GeneratedBulletins.givenNames.count)]
            let family = GeneratedBulletins.familyNames[random.below(GeneratedBulletins.familyNames.count)]
            return SearchQuery(scope: restricted, text: "\(given.arabic) \(family.arabic)")
        }))
        kinds.append(("words", { random in
            SearchQuery(scope: .everything, text: ["faux documents", "مزورة", "forged documents", "passeurs"][random.below(4)])
        }))
        kinds.append(("words + type + origin, reader", { random in
            var query = SearchQuery(scope: restricted, text: ["patrouille", "دورية", "patrol"][random.below(3)])
            query.incidentType = GeneratedBulletins.types[random.below(GeneratedBulletins.types.count)]
            query.origin = try? StateCode(GeneratedBulletins.states[random.below(GeneratedBulletins.states.count)])
            return query
        }))
        kinds.append(("document number", { random in
            var query = SearchQuery(scope: .everything)
            query.identifierKind = IdentifierKind.document.rawValue
            query.identifierValue = String(format: "%@%07d", ["AB", "CD", "EF", "GH", "KL"][random.below(5)], random.below(2_000_000))
            return query
        }))
        kinds.append(("crossing point + dates", { [crossing = generator.crossingPoints] random in
            var query = SearchQuery(scope: restricted)
            query.crossingPoint = crossing[random.below(crossing.count)]
            query.since = 1_700_000_000_000 + Int64(random.below(max(1, bulletins * 10)))
            return query
        }))
        var random = SplitMix64(seed: 0xBE4C_0018)
        var byKind: [String: [Double]] = [:]
        var all: [Double] = []
        let perKind = 100
        for (name, make) in kinds {
            for _ in 0..<perKind {
                let query = make(&random)
                let start = ContinuousClock.now
                _ = try reader.search(query)
                let milliseconds = (ContinuousClock.now - start).seconds * 1_000
                byKind[name, default: []].append(milliseconds)
                all.append(milliseconds)
            }
        }
        let built = existingIndex == nil
        return Figures(
            bulletins: made, batchSize: batchSize,
            indexingMicrosecondsPerBulletin: built ? indexingSeconds * 1_000_000 / Double(max(1, made)) : nil,
            lastTenthIndexingMicrosecondsPerBulletin: built ? lastTenthSeconds * 1_000_000 / Double(max(1, lastTenthCount)) : nil,
            linksPerBulletin: built ? Double(links) / Double(max(1, made)) : nil, indexBytesPerBulletin: Double(bytes) / Double(max(1, made)),
            queries: all.count, searchMilliseconds: byKind.mapValues(Quantiles.init), allSearchesMilliseconds: Quantiles(all))
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
