import Audit
import Exchange
import Wire

/// The secretariat's checks of one node's audit log (docs/AUDIT.md §8 and §12.2), independent of
/// how the answers travel: it asks an ``AuditSource`` and keeps everything in a
/// ``CollectionStore``.
///
/// For a node of the roster it: gets a fresh signed head and verifies it against the node's card;
/// compares it with every head it holds of that node (same size, other root: **equivocation**);
/// checks the consistency proof from the last accepted head (unprovable, or a smaller log:
/// **inconsistent**); fetches the new entries in batches, checks each one's index and state, and
/// recomputes the root over all held leaf hashes plus the new ones, which must be the head's.
/// Only then are the head and the entries stored, in one transaction. A head that fails is kept
/// as evidence and never replaces the accepted one.
///
/// Fetching only new entries cannot see a node rewrite an entry it already gave: so each
/// collection also **re-checks** entries collected before — always the first and the last held,
/// plus ``recheckCount`` chosen at random — by asking the node for the entry's bytes now and its
/// inclusion proof in the last accepted head. Bytes whose leaf hash is not the one collected, or
/// a proof that does not lead to the accepted root, are **equivocation**, naming the entry.
///
/// Numbers in a node's answers are never trusted for arithmetic: a head claiming more than
/// ``maximumTreeSize`` entries is refused as implausible before any entry is asked for.
public struct AuditCollector: Sendable {
    /// Where collected data and findings go.
    public let store: CollectionStore
    /// Entries asked for in one request (at most 1000, the protocol's limit).
    public let batchSize: UInt64
    /// Earlier entries re-checked at random per node and collection, besides the first and the
    /// last held (0…1000; `audit collect --recheck`, default ``defaultRecheckCount``).
    public let recheckCount: Int
    /// The most entries a head may plausibly cover: 2^40 (a million entries a day for three
    /// thousand years). A larger head is a `badHead` finding, never a loop of that length.
    public static let maximumTreeSize: UInt64 = 1 << 40
    /// Entries re-checked at random by default, besides the first and the last.
    public static let defaultRecheckCount = 16

    /// A collector writing to `store`.
    public init(store: CollectionStore, batchSize: UInt64 = AuditRequest.maximumEntriesPerRequest, recheckCount: Int = defaultRecheckCount) {
        self.store = store
        self.batchSize = min(max(batchSize, 1), AuditRequest.maximumEntriesPerRequest)
        self.recheckCount = min(max(recheckCount, 0), Int(AuditRequest.maximumEntriesPerRequest))
    }

    /// Collects from `member`'s node through `source`, records the attempt and returns what happened.
    /// Only a failing store throws: an unreachable node or a bad answer is a result.
    public func collect(_ member: RosterMember, retiredKeys: [RetiredKeys] = [], from source: some AuditSource, now: Timestamp = .now)
        throws(AuditCollectionError) -> NodeCollectionResult
    {
        var generator = SystemRandomNumberGenerator()
        return try collect(member, retiredKeys: retiredKeys, from: source, now: now, using: &generator)
    }

    /// The same, drawing the entries to re-check from `generator` (tests give a seeded one).
    public func collect(
        _ member: RosterMember, retiredKeys: [RetiredKeys] = [], from source: some AuditSource, now: Timestamp = .now,
        using generator: inout some RandomNumberGenerator
    )
        throws(AuditCollectionError) -> NodeCollectionResult
    {
        let result = try check(member, retiredKeys: retiredKeys, source: source, now: now, generator: &generator)
        try store.recordAttempt(CollectionAttempt(state: member.state, at: now, outcome: result.outcome, detail: result.detail))
        return result
    }

    private func check(
        _ member: RosterMember, retiredKeys: [RetiredKeys], source: some AuditSource, now: Timestamp,
        generator: inout some RandomNumberGenerator
    )
        throws(AuditCollectionError) -> NodeCollectionResult
    {
        let state = member.state
        let previous = try store.lastAcceptedHead(of: state)
        let heldSize = previous?.head.treeSize ?? 0

        func failed(_ error: AuditCollectionError) -> NodeCollectionResult {
            let outcome: CollectionAttempt.Outcome
            switch error {
            case .unreachable, .transport: outcome = .unreachable
            default: outcome = .refused
            }
            return NodeCollectionResult(state: state, outcome: outcome, detail: error.description, treeSize: heldSize, newEntries: 0, findings: [])
        }
        var rechecked: UInt64 = 0
        func flag(
            _ kind: CollectionFinding.Kind, _ detail: String, evidence: SignedTreeHead, against other: CollectedHead?, entryIndex: UInt64? = nil
        ) throws(AuditCollectionError) -> NodeCollectionResult {
            let id = try store.keepEvidence(evidence, at: now)
            let finding = try store.addFinding(
                state: state, kind: kind, detail: detail, headIDs: [id] + (other.map { [$0.id] } ?? []), entryIndex: entryIndex, at: now)
            return NodeCollectionResult(
                state: state, outcome: .flagged, detail: detail, treeSize: heldSize, newEntries: 0, findings: [finding], rechecked: rechecked)
        }

        // 1. A fresh head, from the node of the roster card.
        let signed: SignedTreeHead
        do {
            signed = try source.signedTreeHead()
        } catch {
            return failed(error)
        }
        let head = signed.head
        do {
            // The card's key, or a key of the state's history trusted at the head's timestamp
            // (a node that has not switched to its new card yet: docs/PROTOCOL.md §6.5).
            try signed.verify(card: member.card, retiredKeys: retiredKeys)
        } catch {
            return try flag(.badHead, "the head of size \(head.treeSize) does not verify: \(error)", evidence: signed, against: nil)
        }
        guard head.treeSize <= Self.maximumTreeSize else {
            return try flag(
                .badHead, "the head claims \(head.treeSize) entries, more than any log can plausibly hold (\(Self.maximumTreeSize)): not collected",
                evidence: signed, against: nil)
        }

        // 2. Two roots for one size, against every head ever held of this node.
        if let other = try store.heads(of: state).first(where: { $0.head.equivocates(with: head) && (try? $0.signed.verify(card: member.card, retiredKeys: retiredKeys)) != nil }) {
            return try flag(
                .equivocation,
                "EQUIVOCATION: two signed heads of size \(head.treeSize) with different roots (\(other.head.rootHash) held since \(other.collectedAt), \(head.rootHash) now); both are kept",
                evidence: signed, against: other)
        }

        // 3. The new head extends the last accepted one.
        if let previous {
            guard head.treeSize >= previous.head.treeSize else {
                return try flag(
                    .inconsistent, "the log shrank: its head now covers \(head.treeSize) entries, after \(previous.head.treeSize) accepted",
                    evidence: signed, against: previous)
            }
            if head.treeSize > previous.head.treeSize, previous.head.treeSize > 0 {
                let proof: ConsistencyProof
                do {
                    proof = try source.consistencyProof(from: previous.head.treeSize, to: head.treeSize)
                } catch {
                    if case .refused(_, let reason) = error {
                        return try flag(
                            .inconsistent,
                            "no consistency proof from \(previous.head.treeSize) to \(head.treeSize) entries (the node answered: \(reason))",
                            evidence: signed, against: previous)
                    }
                    return failed(error)
                }
                do {
                    try head.verifyConsistency(from: previous.head, proof: proof)
                } catch {
                    return try flag(
                        .inconsistent,
                        "the head of size \(head.treeSize) does not extend the accepted head of size \(previous.head.treeSize): \(error)",
                        evidence: signed, against: previous)
                }
            }

            // 3b. Entries collected before are still the ones the node shows and proves.
            switch try recheck(state: state, held: previous, source: source, using: &generator) {
            case .passed(let count):
                rechecked = count
            case .unanswered(let error):
                return failed(error)
            case .rewritten(let index, let detail):
                return try flag(.equivocation, detail, evidence: signed, against: previous, entryIndex: index)
            }
            if head.treeSize == previous.head.treeSize {
                // Same size, same root (step 2 excludes another root): nothing new.
                try store.keepEvidence(signed, at: now)
                return NodeCollectionResult(
                    state: state, outcome: .upToDate, detail: "no new entries (size \(head.treeSize)); \(rechecked) earlier entries re-checked",
                    treeSize: heldSize, newEntries: 0, findings: [], rechecked: rechecked)
            }
        }

        // 4. The new entries, checked one by one and together against the head's root.
        var tree = MerkleTree(leafHashes: try store.leafHashes(of: state))
        guard tree.size == heldSize else {
            throw .store(reason: "\(state): \(tree.size) entries held for an accepted head of size \(heldSize)")
        }
        var fetched: [(index: UInt64, bytes: [UInt8], leafHash: MerkleHash)] = []
        while tree.size < head.treeSize {
            let first = tree.size
            let batch: [[UInt8]]
            do {
                batch = try source.entryBytes(from: first, count: min(batchSize, head.treeSize - first))
            } catch {
                return failed(error)
            }
            guard !batch.isEmpty else {
                return try flag(
                    .badEntries, "the node sent no entry from \(first) on, but its head covers \(head.treeSize)", evidence: signed,
                    against: previous)
            }
            for bytes in batch.prefix(Int(clamping: head.treeSize - first)) {
                let index = tree.size
                let header: AuditEntryHeader
                do {
                    header = try AuditEntryHeader(canonicalBytes: bytes)
                    // A kind this BorderNet knows is decoded in full; one added later (a node
                    // upgraded before the secretariat) is kept as it is, bound by its leaf hash,
                    // and reported as not understood (docs/AUDIT.md §11).
                    if header.isKnownKind { _ = try AuditEntry(canonicalBytes: bytes) }
                } catch {
                    return try flag(.badEntries, "entry \(index) does not decode: \(error)", evidence: signed, against: previous)
                }
                // Only a code above every known one, in a small entry, is kept unread: a corrupted
                // code, or opaque data of any length stored at the secretariat, is refused.
                if !header.isKnownKind, let problem = header.unknownKindProblem(byteCount: bytes.count) {
                    return try flag(.badEntries, "entry \(index) does not decode: \(problem)", evidence: signed, against: previous)
                }
                guard header.index == index, header.state == state else {
                    return try flag(
                        .badEntries, "entry \(index) says it is entry \(header.index) of \(header.state)", evidence: signed, against: previous)
                }
                let leaf = MerkleHasher.leafHash(bytes)
                tree.append(leafHash: leaf)
                fetched.append((index, bytes, leaf))
            }
        }
        guard tree.root == head.rootHash else {
            return try flag(
                .badEntries,
                "the \(head.treeSize) entries 0..<\(head.treeSize) give root \(tree.root), not the head's \(head.rootHash): the node sent other entries than it signed",
                evidence: signed, against: previous)
        }
        try store.accept(signed, entries: fetched, at: now)
        return NodeCollectionResult(
            state: state, outcome: .collected,
            detail: "\(fetched.count) new entries, size \(head.treeSize)" + (previous == nil ? "" : "; \(rechecked) earlier entries re-checked"),
            treeSize: head.treeSize, newEntries: UInt64(fetched.count), findings: [], rechecked: rechecked)
    }
}
