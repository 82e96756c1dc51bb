import Audit
import Exchange
import Wire

/// The re-check of entries collected before (docs/AUDIT.md §12.2 step 3b): a node that rewrites
/// an entry the secretariat already holds must be caught by the next collection, not only by its
/// own `audit verify`.
extension AuditCollector {
    /// How re-checking a node's earlier entries ended.
    enum RecheckOutcome {
        /// Every chosen entry reads and proves as collected; how many were checked.
        case passed(UInt64)
        /// The node did not answer (down, timed out, transport): not a finding.
        case unanswered(AuditCollectionError)
        /// Entry `index` is not what the node committed to: equivocation, with the details.
        case rewritten(index: UInt64, detail: String)
    }

    /// The indexes to re-check in a log of which `heldSize` entries are held: 0 and `heldSize − 1`
    /// always, and `count` distinct others drawn uniformly from between them (all of them when
    /// there are no more than `count`), in ascending order; `count` is taken as 0…1000. Robert
    /// Floyd's sampling: exactly `count` draws, so the loop is bounded whatever the generator returns.
    public static func recheckSample(heldSize: UInt64, count: Int, using generator: inout some RandomNumberGenerator) -> [UInt64] {
        guard heldSize > 0 else { return [] }
        guard heldSize > 2 else { return Array(0..<heldSize) }
        let inner = heldSize - 2  // candidates 1 … heldSize − 2
        let wanted = UInt64(clamping: min(max(count, 0), Int(AuditRequest.maximumEntriesPerRequest)))
        var chosen: Set<UInt64> = [0, heldSize - 1]
        if wanted >= inner {
            for index in 1...inner { chosen.insert(index) }
        } else {
            for bound in (inner - wanted)..<inner {
                let drawn = UInt64.random(in: 0...bound, using: &generator)
                if !chosen.insert(drawn + 1).inserted { chosen.insert(bound + 1) }
            }
        }
        return chosen.sorted()
    }

    /// Re-checks a sample of the entries `held` covers: for each, the node's bytes now must have the
    /// leaf hash the secretariat stored, and the node's inclusion proof of that leaf in the tree of
    /// `held`'s size must lead to `held`'s root — the head the secretariat already holds.
    func recheck(state: StateCode, held: CollectedHead, source: some AuditSource, using generator: inout some RandomNumberGenerator)
        throws(AuditCollectionError) -> RecheckOutcome
    {
        let size = held.head.treeSize
        let root = held.head.rootHash
        var checked: UInt64 = 0
        for index in Self.recheckSample(heldSize: size, count: recheckCount, using: &generator) {
            guard let stored = try store.entry(of: state, index: index) else {
                throw .store(reason: "\(state): entry \(index) is missing from the store, under an accepted head of size \(size)")
            }
            guard MerkleHasher.leafHash(stored.bytes) == stored.leafHash else {
                throw .store(reason: "\(state): the stored bytes of entry \(index) no longer match their leaf hash: the secretariat's own store was changed")
            }
            let current: [[UInt8]]
            let proof: InclusionProof
            do throws(AuditCollectionError) {
                current = try source.entryBytes(from: index, count: 1)
                proof = try source.inclusionProof(index: index, treeSize: size)
            } catch {
                if case .refused(_, let reason) = error {
                    return .rewritten(
                        index: index,
                        detail: "EQUIVOCATION: the node will not show or prove entry \(index), which its head of size \(size) (collected \(held.collectedAt)) covers; it answered: \(reason)")
                }
                return .unanswered(error)
            }
            guard let bytes = current.first else {
                return .rewritten(
                    index: index, detail: "EQUIVOCATION: the node no longer has entry \(index), which its head of size \(size) (collected \(held.collectedAt)) covers")
            }
            let leaf = MerkleHasher.leafHash(bytes)
            guard leaf == stored.leafHash else {
                let now = (try? AuditEntry(canonicalBytes: bytes)).map { "\($0)" } ?? "bytes that do not decode"
                let was = (try? AuditEntry(canonicalBytes: stored.bytes)).map { "\($0)" } ?? "?"
                return .rewritten(
                    index: index,
                    detail: "EQUIVOCATION: entry \(index) was rewritten: collected as \(was) (leaf \(stored.leafHash)), the node now shows \(now) (leaf \(leaf)), which no head it signed covers")
            }
            do {
                guard proof.leafIndex == index, proof.treeSize == size else {
                    throw MerkleProofError.indexOutOfRange(index: proof.leafIndex, treeSize: proof.treeSize)
                }
                try proof.verify(leafHash: stored.leafHash, root: root)
            } catch {
                return .rewritten(
                    index: index,
                    detail: "EQUIVOCATION: entry \(index) as collected cannot be proven in the node's own head of size \(size) (root \(root)): \(error)")
            }
            checked += 1
        }
        return .passed(checked)
    }
}
