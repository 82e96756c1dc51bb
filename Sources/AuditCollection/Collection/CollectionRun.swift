import Audit
import Exchange
import Foundation
import NodeSetup
import ZeroMQ

/// One `bordernet audit collect`: reads every node of the secretariat's newest signed roster (all
/// members and partners; not the secretariat itself), one after the other, each request bounded
/// by a timeout, and stores what verified in `DIR/collected.sqlite`.
public struct CollectionRun: Sendable {
    /// The secretariat's folder.
    public let directory: SecretariatDirectory
    /// How long each request to a node may wait for its answer.
    public let timeoutMilliseconds: Int
    /// Earlier entries re-checked at random per node, besides the first and the last held
    /// (``AuditCollector/recheckCount``).
    public let recheckCount: Int

    /// A collection from the secretariat folder `directory`.
    public init(directory: SecretariatDirectory, timeoutMilliseconds: Int = 5_000, recheckCount: Int = AuditCollector.defaultRecheckCount) {
        self.directory = directory
        self.timeoutMilliseconds = timeoutMilliseconds
        self.recheckCount = recheckCount
    }

    /// What one run did, node by node.
    public struct Summary: Sendable, Codable {
        /// The roster version the run used.
        public let rosterVersion: UInt64
        /// When the run started (the secretariat's clock).
        public let startedAt: Timestamp
        /// One result per node, in state order.
        public let nodes: [NodeCollectionResult]
        /// Entries collected before and re-checked this run, over all nodes.
        public let rechecked: UInt64

        /// Whether any node was flagged (equivocation, inconsistency, bad head or entries): exit status 2.
        public var hasFindings: Bool { nodes.contains { $0.outcome == .flagged } }
        /// The nodes that did not answer or refused.
        public var unreachable: [NodeCollectionResult] { nodes.filter { $0.outcome == .unreachable || $0.outcome == .refused } }
    }

    /// Collects from one node; an unreachable node is a result, only the store's failure throws.
    private func collect(
        _ member: RosterMember, retiredKeys: [RetiredKeys], collector: AuditCollector, context: Context, keys: CurveKeyPair
    )
        throws(AuditCollectionError) -> NodeCollectionResult
    {
        let started = Timestamp.now
        let client: NodeAuditClient
        do throws(AuditCollectionError) {
            client = try NodeAuditClient(context: context, card: member.card, keys: keys, timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            try collector.store.recordAttempt(CollectionAttempt(state: member.state, at: started, outcome: .unreachable, detail: error.description))
            return NodeCollectionResult(
                state: member.state, outcome: .unreachable, detail: error.description,
                treeSize: (try collector.store.lastAcceptedHead(of: member.state)?.head.treeSize) ?? 0, newEntries: 0, findings: [])
        }
        return try collector.collect(member, retiredKeys: retiredKeys, from: client, now: started)
    }

    /// Collects from every node. Throws only when the secretariat's own setup or store fails.
    public func run(now: Timestamp = .now) throws -> Summary {
        let roster = try directory.loadSignedRoster(now: now)
        let identity = try directory.node.loadIdentity()
        guard roster.member(identity.state)?.role == .secretariat,
            roster.member(identity.state)?.card == identity.card
        else {
            throw SetupError.rosterRefused(
                "the signed roster does not list this secretariat's card (\(identity.state)) with the role secretariat: add it (`bordernet roster add \(directory.root.appendingPathComponent("card.json").path) --role secretariat`), sign and install the roster on every node"
            )
        }
        let store = try CollectionStore(path: directory.collectionStorePath)
        let collector = AuditCollector(store: store, recheckCount: recheckCount)
        let context = try Context()
        let keys = CurveKeyPair(x25519: identity.transportKey)
        var results: [NodeCollectionResult] = []
        for member in roster.members where member.state != identity.state {
            results.append(
                try collect(
                    member, retiredKeys: Array(roster.retiredKeys(of: member.state)), collector: collector, context: context, keys: keys))
        }
        return Summary(
            rosterVersion: roster.version, startedAt: now, nodes: results,
            rechecked: results.reduce(0) { $0.addingSaturating($1.rechecked) })
    }
}
