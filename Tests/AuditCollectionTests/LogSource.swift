import Audit
import AuditCollection
import Exchange

/// An ``AuditSource`` that answers from an ``AuditLog`` as a node would, signing heads with
/// `identity`; tests swap the log (a truncated and regrown one, a fork) or make it fail.
final class LogSource: AuditSource {
    var log: AuditLog
    var identity: NodeIdentity
    /// When set, every request fails with it.
    var failure: AuditCollectionError?
    /// When set, entries are served from this log instead (a node that sends other entries than it signed).
    var entriesFrom: AuditLog?

    init(log: AuditLog, identity: NodeIdentity) {
        self.log = log
        self.identity = identity
    }

    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead {
        if let failure { throw failure }
        do {
            return try log.treeHead(signedBy: identity, at: .now)
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }

    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        if let failure { throw failure }
        do {
            return try log.consistencyProof(from: firstSize, to: secondSize)
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }

    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        if let failure { throw failure }
        let source = entriesFrom ?? log
        do {
            return try source.entries(in: first..<(first + min(count, 1_000))).map(\.canonicalBytes)
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }

    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        if let failure { throw failure }
        do {
            return try log.inclusionProof(index: index, treeSize: treeSize)
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }
}
