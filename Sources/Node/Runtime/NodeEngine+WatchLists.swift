import Audit
import Exchange
import Foundation
import Logging
import Observables
import SearchIndex
import Store
import Wire
import ZeroMQ

extension NodeEngine {
    /// `watchAdd`, `watchRemove` and `watchList` (docs/SEARCH.md, "Watch-lists and alerts"): the
    /// owner is named by the caller — the console and `bordernet watch` run as the node's user,
    /// the only one who can reach the control socket — and every member is checked. A change is
    /// audited (`watchListChanged`: the kind of owner and the entry's number, never the value,
    /// label or name).
    func answerWatch(_ command: ControlRequest.Command, _ request: WatchRequest?) -> ControlResponse {
        guard let request else { return .failure("\(command.rawValue) needs 'watch' with its 'owner'") }
        guard request.owner.utf8.count <= 300, let owner = WatchOwner(request.owner) else {
            return .failure(
                "'watch.owner' must be user:NAME, agency:NAME (a name of 1–64 characters, no control characters) or operator"
            )
        }
        let now = Int64(clamping: Timestamp.now.millisecondsSinceEpoch)
        switch command {
        case .watchAdd:
            return addWatchEntry(request, owner: owner, now: now)
        case .watchRemove:
            guard let entry = request.entry, entry >= 1 else {
                return .failure("watchRemove needs 'watch.entry', an entry number (1 or more)")
            }
            do {
                try watchLists.remove(entry: entry, owner: owner, nowMilliseconds: now)
            } catch {
                return .failure(error.description)
            }
            audit(
                .watchListChanged(
                    WatchListChange(owner: Self.auditOwnerKind(owner), change: .removed, entry: UInt64(entry))))
            logger.info("watch-list entry removed", metadata: ["entry": "\(entry)", "owner": "\(owner.kindName)"])
            return ControlResponse(ok: true)
        case .watchList:
            do {
                return ControlResponse(ok: true, watchEntries: try watchLists.entries(of: owner).map(Self.item))
            } catch {
                return .failure("cannot read the watch-lists: \(error)")
            }
        default:
            return .failure("internal: \(command.rawValue) is not a watch-list command")
        }
    }

    private func addWatchEntry(_ request: WatchRequest, owner: WatchOwner, now: Int64) -> ControlResponse {
        // Without the index nothing would ever alert: refuse rather than accept an entry that never fires.
        guard alerting != nil else { return .failure(WatchListError.searchDisabled.description) }
        guard let kindName = request.kind, let kind = WatchKind(rawValue: kindName) else {
            return .failure(
                "watchAdd needs 'watch.kind', one of \(WatchKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let value = request.value, value.utf8.count <= 4 * WatchCriterion.maximumValueLength else {
            return .failure("watchAdd needs 'watch.value' (at most \(WatchCriterion.maximumValueLength) characters)")
        }
        let criterion: WatchCriterion
        do {
            criterion = try WatchCriterion(kind: kind, value: value)
        } catch {
            return .failure(error.description)
        }
        // The operator reads everything; any other owner's scope is what the caller says it can read now.
        let scope: WatchScope
        switch (owner, request.scope) {
        case (_, let given?): scope = given
        case (.operatorOfNode, nil): scope = .everything
        case (_, nil):
            return .failure("watchAdd for \(owner.kindName) needs 'watch.scope': what the owner can read now")
        }
        let scopeJSON: [UInt8]
        do {
            scopeJSON = Array(try JSONEncoder().encode(scope))
        } catch {
            return .failure("cannot read 'watch.scope': \(error)")
        }
        let entry: WatchEntry
        do {
            entry = try watchLists.add(
                owner: owner, criterion: criterion, label: request.label, scopeJSON: scopeJSON, nowMilliseconds: now)
        } catch {
            return .failure(error.description)
        }
        audit(
            .watchListChanged(
                WatchListChange(owner: Self.auditOwnerKind(owner), change: .added, entry: UInt64(entry.id))))
        logger.info(
            "watch-list entry added",
            metadata: ["entry": "\(entry.id)", "owner": "\(owner.kindName)", "kind": "\(kind.rawValue)"])
        return ControlResponse(ok: true, watchEntries: [Self.item(entry)])
    }

    static func auditOwnerKind(_ owner: WatchOwner) -> WatchListChange.OwnerKind {
        switch owner {
        case .user: .user
        case .agency: .agency
        case .operatorOfNode: .operatorOfNode
        }
    }

    static func item(_ entry: WatchEntry) -> WatchListItem {
        let scope =
            (try? JSONDecoder().decode(WatchScope.self, from: Data(WatchScopeJSON.encode(entry.scope).utf8)))
            ?? WatchScope(kind: "nothing")
        return WatchListItem(
            id: entry.id, owner: entry.owner.description, kind: entry.criterion.kind.rawValue,
            value: entry.criterion.value, label: entry.label,
            scope: scope, createdAt: entry.createdAtMilliseconds)
    }

    /// The most alerts published per turn of the loop (pages of
    /// ``WatchListStore/maximumAlertsPerRead``); the rest on the next turns.
    static let alertsPublishedPerTurn = 2_000

    /// Publishes the alerts raised after `published_through` (`watchlists.sqlite`) on the local
    /// feed (topic `alert`, ``AlertMessage``: numbers, bulletin, score and time only — never the
    /// owner nor the value watched) and audits each (`alertRaised`: entry number, bulletin), when
    /// the indexer said some were raised (``AlertRaising/pending``). Per page: publish, audit,
    /// flush the audit log, then store the new `published_through`. A crash between the flush and
    /// the cursor audits those alerts again at the next start: twice at worst, never zero times.
    /// Called by the loop each turn, and once more at stop after the indexer stopped.
    func publishAlerts() {
        guard let alerting, alerting.pending.exchange(false, ordering: .acquiring) else { return }
        var published = 0
        do {
            var through = try watchLists.publishedThrough()
            while published < Self.alertsPublishedPerTurn {
                let page = try watchLists.alerts(after: through, limit: WatchListStore.maximumAlertsPerRead)
                guard let last = page.last else { break }
                for alert in page {
                    let message = AlertMessage(
                        alert: alert.id, entry: alert.entry, bulletin: alert.bulletin.description, score: alert.score,
                        raisedAt: alert.raisedAtMilliseconds)
                    do {
                        _ = try feed.send(message.frames, dontWait: true)
                    } catch {
                        logger.error(
                            "cannot publish an alert on the feed",
                            metadata: ["alert": "\(alert.id)", "error": "\(error)"])
                    }
                    if alert.entry >= 1 { audit(.alertRaised(entry: UInt64(alert.entry), bulletin: alert.bulletin)) }
                    metrics.count("bordernet_alerts_raised_total", [])
                }
                flushAudit()
                // Not audited yet (the flush failed and will be retried): the cursor stays.
                guard pendingAudit.isEmpty else {
                    alerting.pending.store(true, ordering: .relaxed)
                    return
                }
                try watchLists.setPublishedThrough(last.id)
                through = last.id
                published += page.count
                if page.count < WatchListStore.maximumAlertsPerRead { break }
            }
            if published >= Self.alertsPublishedPerTurn { alerting.pending.store(true, ordering: .relaxed) }
            lastAlertPublishingFailure = nil
        } catch {
            // Retried at the next turn; logged once per kind of failure.
            alerting.pending.store(true, ordering: .relaxed)
            let text = "\(error)"
            if text != lastAlertPublishingFailure {
                logger.error("cannot read the alerts to publish; will retry", metadata: ["error": "\(text)"])
                lastAlertPublishingFailure = text
            }
        }
    }
}
