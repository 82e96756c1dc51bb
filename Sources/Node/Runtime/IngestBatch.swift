import Audit
import Exchange
import Store

/// What one batch of received envelopes makes for the store, the audit log and the feed: gathered
/// while the link rules place its envelopes, written once, after the batch is committed.
struct IngestBatch {
    /// The peer whose connection brought the batch (refusals are counted against it).
    let source: StateCode
    /// Whether the batch is a replay answer rather than publications.
    let replayed: Bool
    /// When it was received: the envelopes' received-at, and their receipts'.
    let receivedAt: Timestamp
    /// Envelopes taken (with their bulletin when accepted), for one store transaction.
    var deliveries: [BulletinStore.Delivery] = []
    /// Bulletins accepted, for the feed.
    var accepted: [StoredBulletin] = []
    /// Refused envelopes, for the store's counts.
    var rejections: [Rejection] = []
    /// Bulletins flagged for review as they were stored (``NodeEngine/flagOnArrival``).
    var flagged: [(flag: BulletinFlag, incidentType: String)] = []
    /// Audit entries, written after the commit they describe.
    var audited: [AuditEvent] = []
    /// The first store read that failed while placing an envelope: the batch stops before its
    /// commit, as if the commit had failed.
    var readFailure: StoreError?
}
