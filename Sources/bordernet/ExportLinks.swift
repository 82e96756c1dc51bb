import Exchange
import Foundation
import NodeSetup
import SearchIndex
import StoredSTIX

/// The correlation links `export stix` writes as relationships (docs/STIX.md, "Correlation
/// links"): read from the node's search index, `DATA/search.sqlite`, read-only. None when the
/// node keeps no index (`[search] enabled = false`) or has none yet: the export is then what it
/// was before links existed.
struct ExportLinks: CorrelationLinkSource {
    /// The longest wait for the index to reach the newest bulletin exported (as `feed --json`).
    static let wait = Duration.seconds(2)

    /// Why there are no links, or `nil` when the index is read.
    let unavailable: String?
    private let reader: SearchReader?

    init(directory: NodeDirectory) {
        let path = directory.root.appendingPathComponent("search.sqlite").path
        if (try? directory.loadConfiguration().searchEnabled) == false {
            (reader, unavailable) = (nil, "the search index is turned off ([search] enabled = false)")
        } else if !FileManager.default.fileExists(atPath: path) {
            (reader, unavailable) = (nil, "no search index (search.sqlite) yet")
        } else {
            do {
                (reader, unavailable) = (try SearchReader(path: path), nil)
            } catch {
                (reader, unavailable) = (nil, "the search index cannot be read: \(error)")
            }
        }
    }

    /// Waits at most ``wait`` for the index to reach `id` (the newest bulletin exported: the
    /// index follows the store in order); returns whether it did.
    func waitUntilIndexed(_ id: String) -> Bool {
        guard let reader, let reference = try? Exchange.BulletinReference(id) else { return false }
        let clock = ContinuousClock()
        let deadline = clock.now + Self.wait
        while true {
            if (try? reader.isIndexed(reference)) == true { return true }
            guard clock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The links of `bulletinID` from the index. A read that fails (`SQLITE_BUSY`…) is answered
    /// ``CorrelationAnswer/notIndexedYet``: the bulletin is exported without its links and
    /// counted (`notIndexed`), never as if it had none.
    func earlierLinks(of bulletinID: String) throws -> CorrelationAnswer {
        guard let reader, let reference = try? Exchange.BulletinReference(bulletinID) else { return .noIndex }
        let found: [BulletinLink]?
        do {
            found = try reader.earlierLinks(of: reference)
        } catch {
            return .notIndexedYet
        }
        guard let links = found else { return .notIndexedYet }
        return .links(
            links.map {
                CorrelatedBulletin(
                    earlierID: $0.other.description, kind: $0.kind.storedName, reason: $0.reason, score: $0.score)
            })
    }
}
