import Audit

/// Where the collector reads one node's audit log: over ZeroMQ from the node itself
/// (``NodeAuditClient``), or, in tests, from an ``AuditLog`` in memory. Answers are returned as
/// they came; checking them is the collector's job.
public protocol AuditSource {
    /// A fresh signed tree head of the log's current size (`audit-head`).
    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead
    /// The consistency proof from the tree of `firstSize` entries to that of `secondSize` (`audit-consistency`).
    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof
    /// At most `count` (≤ 1000) entries' canonical bytes from index `first` on (`audit-entries`);
    /// fewer when the log ends.
    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]]
    /// The inclusion proof of entry `index` in the tree of `treeSize` entries (`audit-inclusion`):
    /// how the collector re-checks entries it collected before (docs/AUDIT.md §12.2).
    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof
}
