import Audit
import Exchange
import Store
import Wire

extension NodeEngine {
    /// Applies every revocation of the roster in force that this node has not reviewed yet
    /// (docs/PROTOCOL.md §6.5, "What a revocation does to what was accepted"): the bulletins it
    /// accepted from the revoked state, created or stored at or after the compromise time, are
    /// flagged for review in the store, each announced on the local feed (topic `flagged`),
    /// logged, counted and audited (`bulletinsFlagged`, once per revocation, even when nothing
    /// was flagged). Called at start and after every roster the node puts in force, before it
    /// accepts anything under it, so what the state's new keys sign afterwards is never flagged.
    /// A revocation that cannot be applied now (the store failed) is tried again at the next
    /// roster check.
    func reviewRevocations() {
        for revoked in roster.retiredKeys where revoked.isRevoked && revoked.state != identity.state {
            let key = RevocationKey(state: revoked.state, since: revoked.until)
            guard !reviewedRevocations.contains(key) else { continue }
            do {
                guard let count = try store.bulletinsToFlag(origin: revoked.state, since: revoked.until) else {
                    reviewedRevocations.insert(key)
                    continue
                }
                // Audited before the flags are committed: a crash in between audits this review
                // again at the next start, never zero times.
                audit(
                    .bulletinsFlagged(
                        origin: revoked.state, since: revoked.until, count: UInt64(count), rosterVersion: roster.version
                    ))
                flushAudit()
                let flags =
                    try store.flagBulletinsOfRevokedKeys(
                        origin: revoked.state, since: revoked.until, rosterVersion: roster.version, at: .now) ?? []
                reviewedRevocations.insert(key)
                announce(flags, origin: revoked.state)
            } catch {
                logger.error(
                    "cannot flag the bulletins of revoked keys; trying again at the next roster check",
                    metadata: ["origin": "\(revoked.state)", "error": "\(error)"])
            }
        }
    }

    /// Logs, counts and publishes on the local feed the bulletins of `origin` just flagged.
    private func announce(_ flags: [BulletinFlag], origin: StateCode) {
        guard let first = flags.first else {
            logger.notice(
                "revocation applied: no bulletin of the revoked keys to flag",
                metadata: ["origin": "\(origin)", "roster": "\(roster.version)"])
            return
        }
        logger.warning(
            "bulletins flagged for review: accepted under keys the roster revoked since a time before they were created or stored; check them with their origin (bordernet feed --flagged)",
            metadata: [
                "origin": "\(origin)", "count": "\(flags.count)", "since": "\(first.since)",
                "roster": "\(roster.version)",
            ])
        metrics.count("bordernet_bulletins_flagged_total", [("origin", origin.description)], by: flags.count)
        for flag in flags {
            do {
                _ = try feed.send(FlagNotice(flag, origin: origin).frames, dontWait: true)
            } catch {
                logger.error(
                    "cannot publish a flag on the local feed",
                    metadata: ["bulletin": "\(flag.bulletin)", "error": "\(error)"])
            }
        }
    }
}

/// One revocation of a key history: the state and its compromise time.
struct RevocationKey: Hashable {
    let state: StateCode
    let since: Timestamp
}

extension FlagNotice {
    /// The feed's form of a stored flag.
    init(_ flag: BulletinFlag, origin: StateCode) {
        self.init(
            bulletin: flag.bulletin.description, origin: origin.description, reason: flag.reason.rawValue,
            since: Int64(clamping: flag.since.millisecondsSinceEpoch), rosterVersion: flag.rosterVersion,
            flaggedAt: Int64(clamping: flag.flaggedAt.millisecondsSinceEpoch))
    }
}
