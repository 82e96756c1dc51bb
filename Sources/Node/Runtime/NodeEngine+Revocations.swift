import Audit
import Exchange
import Store
import Wire

extension NodeEngine {
    /// Applies every revocation of the roster in force that this node has not applied yet
    /// (docs/PROTOCOL.md §6.5, "What a revocation does to what a node already accepted"): the
    /// bulletins the revoked key signed and this node accepted, created or stored at or after the
    /// compromise time, are flagged for review in the store — exactly those, by the key each
    /// envelope was verified with, so what the state's new keys sign is never flagged — and
    /// announced on the local feed (topic `flagged`, the first
    /// ``BulletinStore/announcedPerRevocation``), logged, counted and audited
    /// (`bulletinsFlagged`, once per revocation, even when nothing was flagged). Called at
    /// start, after every roster the node puts in force, and at each roster check for a
    /// revocation the store could not take before (the error is logged).
    func reviewRevocations() {
        for revoked in roster.retiredKeys where revoked.isRevoked && revoked.state != identity.state {
            let signer = SigningKeyFingerprint.of(revoked.signingKey)
            let key = RevocationKey(state: revoked.state, signer: signer, since: revoked.until)
            guard !appliedRevocations.contains(key) else { continue }
            do {
                guard let count = try store.bulletinsToFlag(origin: revoked.state, signer: signer, since: revoked.until)
                else {
                    appliedRevocations.insert(key)
                    continue
                }
                // Audited before the flags are committed: a crash in between audits this
                // revocation again at the next start, never zero times.
                audit(
                    .bulletinsFlagged(
                        origin: revoked.state, since: revoked.until, count: UInt64(count), rosterVersion: roster.version
                    ))
                flushAudit()
                let flagged = try store.flagBulletinsOfRevokedKey(
                    origin: revoked.state, signer: signer, since: revoked.until, rosterVersion: roster.version, at: .now
                )
                appliedRevocations.insert(key)
                announce(
                    flagged?.first ?? [], types: flagged?.incidentTypes ?? [:], count: flagged?.count ?? 0,
                    origin: revoked.state,
                    since: revoked.until)
            } catch {
                logger.error(
                    "cannot flag the bulletins of revoked keys; trying again at the next roster check",
                    metadata: ["origin": "\(revoked.state)", "error": "\(error)"])
            }
        }
    }

    /// The flag of a bulletin accepted now under a key the roster in force already revoked: it
    /// is dated before the compromise time (so the key verified it) but arrives at or after it —
    /// the revoked key's holder may have backdated it. `nil` for every other envelope.
    func flagOnArrival(_ verified: VerifiedEnvelope, bulletin: BulletinReference, receivedAt: Timestamp)
        -> BulletinFlag?
    {
        let origin = verified.header.origin
        guard
            let revoked = roster.revocations(of: origin).first(where: { $0.signingKey == verified.signingKey }),
            receivedAt >= revoked.until
        else { return nil }
        return BulletinFlag(
            bulletin: bulletin, reason: .revokedKey, since: revoked.until, rosterVersion: roster.version,
            flaggedAt: receivedAt)
    }

    /// Logs, counts, audits and publishes flags raised as bulletins arrived (``flagOnArrival``),
    /// after their batch is committed.
    func announceFlagsOnArrival(_ flagged: [(flag: BulletinFlag, incidentType: String)]) {
        let byRevocation = Dictionary(grouping: flagged) {
            RevocationKey(state: $0.flag.bulletin.origin, signer: 0, since: $0.flag.since)
        }
        for (key, flagged) in byRevocation.sorted(by: { $0.key.state < $1.key.state }) {
            audit(
                .bulletinsFlagged(
                    origin: key.state, since: key.since, count: UInt64(flagged.count), rosterVersion: roster.version))
            announce(
                flagged.map(\.flag),
                types: Dictionary(
                    flagged.map { ($0.flag.bulletin, $0.incidentType) }, uniquingKeysWith: { first, _ in first }),
                count: flagged.count, origin: key.state, since: key.since)
        }
    }

    /// Logs, counts and publishes on the local feed `flags` (the first of `count`) of `origin`,
    /// each with its bulletin's incident type from `types`.
    private func announce(
        _ flags: [BulletinFlag], types: [BulletinReference: String], count: Int, origin: StateCode, since: Timestamp
    ) {
        guard count > 0 else {
            logger.notice(
                "revocation applied: no bulletin of the revoked keys to flag",
                metadata: ["origin": "\(origin)", "since": "\(since)", "roster": "\(roster.version)"])
            return
        }
        logger.warning(
            "bulletins flagged for review: accepted under keys the roster revoked since a time before they were created or stored; check them with their origin (bordernet feed --flagged)",
            metadata: ["origin": "\(origin)", "count": "\(count)", "since": "\(since)", "roster": "\(roster.version)"])
        metrics.count("bordernet_bulletins_flagged_total", [("origin", origin.description)], by: count)
        for flag in flags {
            do {
                _ = try feed.send(
                    FlagNotice(flag, origin: origin, incidentType: types[flag.bulletin]).frames, dontWait: true)
            } catch {
                logger.error(
                    "cannot publish a flag on the local feed",
                    metadata: ["bulletin": "\(flag.bulletin)", "error": "\(error)"])
            }
        }
    }
}

/// One revocation of a key history: the state, the revoked signing key's fingerprint and the
/// compromise time.
struct RevocationKey: Hashable {
    let state: StateCode
    let signer: UInt64
    let since: Timestamp
}

extension FlagNotice {
    /// The feed's form of a stored flag of a bulletin of `incidentType`.
    init(_ flag: BulletinFlag, origin: StateCode, incidentType: String?) {
        self.init(
            bulletin: flag.bulletin.description, origin: origin.description, reason: flag.reason.rawValue,
            since: Int64(clamping: flag.since.millisecondsSinceEpoch), rosterVersion: flag.rosterVersion,
            flaggedAt: Int64(clamping: flag.flaggedAt.millisecondsSinceEpoch), incidentType: incidentType)
    }
}
