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
            return .failure("'watch.owner' must be user:NAME, agency:NAME (a name of 1–64 characters, no control characters) or operator")
        }
        let now = Int64(clamping: Timestamp.now.millisecondsSinceEpoch)
        switch command {
        case .watchAdd:
            return addWatchEntry(request, owner: owner, now: now)
        case .watchRemove:
            guard let entry = request.entry, entry >= 1 else { return .failure("watchRemove needs 'watch.entry', an entry number (1 or more)") }
            do {
                try watchLists.remove(entry: entry, owner: owner, nowMilliseconds: now)
            } catch {
                return .failure(error.description)
            }
            audit(.watchListChanged(WatchListChange(owner: Self.auditOwnerKind(owner), change: .removed, entry: UInt64(entry))))
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
        guard let kindName = request.kind, let kind = WatchKind(rawValue: kindName) else {
            return .failure("watchAdd needs 'watch.kind', one of \(WatchKind.allCases.map(\.rawValue).joined(separator: ", "))")
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
        case (_, nil): return .failure("watchAdd for \(owner.kindName) needs 'watch.scope': what the owner can read now")
        }
        let scopeJSON: [UInt8]
        do {
            scopeJSON = Array(try JSONEncoder().encode(scope))
        } catch {
            return .failure("cannot read 'watch.scope': \(error)")
        }
        let entry: WatchEntry
        do {
            entry = try watchLists.add(owner: owner, criterion: criterion, label: request.label, scopeJSON: scopeJSON, nowMilliseconds: now)
        } catch {
            return .failure(error.description)
        }
        audit(.watchListChanged(WatchListChange(owner: Self.auditOwnerKind(owner), change: .added, entry: UInt64(entry.id))))
        logger.info("watch-list entry added", metadata: ["entry": "\(entry.id)", "owner": "\(owner.kindName)", "kind": "\(kind.rawValue)"])
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
            (try? JSONDecoder().decode(WatchScope.self, from: Data(WatchScopeJSON.encode(entry.scope).utf8))) ?? WatchScope(kind: "nothing")
        return WatchListItem(
            id: entry.id, owner: entry.owner.description, kind: entry.criterion.kind.rawValue, value: entry.criterion.value, label: entry.label,
            scope: scope, createdAt: entry.createdAtMilliseconds)
    }

    /// Raises the alerts of `bulletins`, just indexed in `index` (``SearchIndex/raiseAlerts(for:watchLists:nowMilliseconds:matcher:)``),
    /// and queues them for the I/O thread. Runs on the indexer's thread (the hook it calls after
    /// each batch); touches only what is `Sendable` (the files and the outbox), never a socket.
    static func raiseAlerts(
        for bulletins: [IndexedBulletin], in index: SearchIndex, watchLists: WatchListStore, outbox: AlertOutbox, logger: Logger
    ) {
        guard !bulletins.isEmpty else { return }
        do {
            let alerts = try index.raiseAlerts(
                for: bulletins, watchLists: watchLists, nowMilliseconds: Int64(clamping: Timestamp.now.millisecondsSinceEpoch))
            outbox.put(alerts)
        } catch {
            logger.error("cannot raise watch-list alerts for a batch", metadata: ["bulletins": "\(bulletins.count)", "error": "\(error)"])
        }
    }

    /// Raises the alerts of `bulletins` now, on the caller's thread, in the node's `search.sqlite`
    /// (tests, and a caller that indexed without the node's indexer); the indexer's hook does the
    /// same after each batch (``AlertRaising``).
    func raiseAlerts(for bulletins: [IndexedBulletin]) {
        AlertRaising(
            indexPath: directory.root.appendingPathComponent("search.sqlite").path, watchLists: watchLists, outbox: alertOutbox, logger: logger
        ).raise(for: bulletins)
    }

    /// Publishes the alerts the indexer queued on the local feed (topic `alert`, ``AlertMessage``)
    /// and audits each (`alertRaised`: entry number, bulletin). Called by the loop each turn.
    func publishAlerts() {
        let (alerts, dropped) = alertOutbox.take()
        if dropped > 0 {
            logger.warning(
                "watch-list alerts not published on the feed: the loop fell behind (they are in search.sqlite; bordernet alerts reads them)",
                metadata: ["alerts": "\(dropped)"])
        }
        for alert in alerts {
            let message = AlertMessage(
                alert: alert.id, entry: alert.entry, owner: alert.owner.description, bulletin: alert.bulletin.description, score: alert.score,
                reason: alert.reason, raisedAt: alert.raisedAtMilliseconds)
            do {
                _ = try feed.send(message.frames, dontWait: true)
            } catch {
                logger.error("cannot publish an alert on the feed", metadata: ["alert": "\(alert.id)", "error": "\(error)"])
            }
            if alert.entry >= 1 { audit(.alertRaised(entry: UInt64(alert.entry), bulletin: alert.bulletin)) }
            metrics.count("bordernet_alerts_raised_total", [])
        }
    }
}
