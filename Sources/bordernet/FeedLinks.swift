import Exchange
import Foundation
import NodeSetup
import SearchIndex

/// The correlation links `feed --json` prints with each bulletin (docs/SEARCH.md): read from the
/// node's search index, after waiting a bounded time for its indexer to reach the bulletin.
/// `nil` (printed `"links": null`) means not indexed yet, or no index.
final class FeedLinks {
    /// The longest wait for one bulletin to be indexed.
    static let wait = Duration.seconds(2)
    /// How often the index is asked during that wait.
    static let pollInterval = Duration.milliseconds(50)

    private let indexPath: String
    private var reader: SearchReader?
    /// Set when a wait ran out: the index is behind (or stopped), the history is not waited for again.
    private var behind = false

    init(directory: NodeDirectory) {
        indexPath = directory.root.appendingPathComponent("search.sqlite").path
        // With the index turned off nothing will come: no wait at all.
        if (try? directory.loadConfiguration().searchEnabled) == false { behind = true }
    }

    /// The links of bulletin `id` (within every scope: the feed is the node's own view), or `nil`.
    /// `live` bulletins are each waited for; history bulletins no more once a wait ran out.
    func links(of id: String, live: Bool) -> [BulletinLink]? {
        guard let reference = try? Exchange.BulletinReference(id) else { return nil }
        if behind && !live { return indexed(reference) ? linksRead(reference) : nil }
        let clock = ContinuousClock()
        let deadline = clock.now + Self.wait
        for _ in 0..<100 {
            if indexed(reference) { return linksRead(reference) }
            guard clock.now < deadline else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        behind = true
        return nil
    }

    private func linksRead(_ reference: Exchange.BulletinReference) -> [BulletinLink]? {
        guard let reader else { return nil }
        return try? reader.links(of: reference, scope: .everything)
    }

    private func indexed(_ reference: Exchange.BulletinReference) -> Bool {
        if reader == nil, FileManager.default.fileExists(atPath: indexPath) { reader = try? SearchReader(path: indexPath) }
        return (try? reader?.isIndexed(reference)) == true
    }

    /// `links` as JSON values.
    static func json(_ links: [BulletinLink]?) -> Any {
        guard let links else { return NSNull() }
        return links.map { link -> [String: Any] in
            let kind: String
            switch link.kind {
            case .identifier(let identifier): kind = identifier.rawValue
            case .person: kind = "person"
            }
            return ["id": link.other.description, "kind": kind, "reason": link.reason, "score": link.score]
        }
    }
}
