import Audit
import Exchange

/// What ``CollectionReader`` returns: plain values, nothing that can reach back into the store.

/// A stored head as the pages show it, without its signature bytes.
public struct HeadSummary: Hashable, Sendable {
    /// The row id (findings name it).
    public let id: Int64
    /// Entries it covers.
    public let treeSize: UInt64
    /// Its timestamp (the node's clock).
    public let timestamp: Timestamp
    /// Its root.
    public let rootHash: MerkleHash
    /// When the secretariat received it (its own clock).
    public let collectedAt: Timestamp
    /// Accepted, or kept as evidence.
    public let status: CollectedHead.Status

    /// A head summary.
    public init(id: Int64, treeSize: UInt64, timestamp: Timestamp, rootHash: MerkleHash, collectedAt: Timestamp, status: CollectedHead.Status) {
        self.id = id
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.rootHash = rootHash
        self.collectedAt = collectedAt
        self.status = status
    }
}

/// One node as the store knows it: its last accepted head, its last attempt, its findings by kind.
public struct CollectedNode: Hashable, Sendable {
    /// The node's state.
    public let state: StateCode
    /// The last head the collector accepted (`nil` when nothing was ever accepted).
    public let lastAccepted: HeadSummary?
    /// How the last attempt ended.
    public let lastAttempt: StoredAttempt?
    /// Findings of the collector about the node, by kind.
    public let findings: [CollectionFinding.Kind: Int]

    /// A node line.
    public init(state: StateCode, lastAccepted: HeadSummary?, lastAttempt: StoredAttempt?, findings: [CollectionFinding.Kind: Int]) {
        self.state = state
        self.lastAccepted = lastAccepted
        self.lastAttempt = lastAttempt
        self.findings = findings
    }

    /// Entries held for the node (the last accepted head's size).
    public var entriesHeld: UInt64 { lastAccepted?.treeSize ?? 0 }
    /// Whether a finding marks the node for equivocation or inconsistency.
    public var equivocation: Bool { findings.keys.contains { $0.isEquivocation } }
}

/// An attempt with its row id (the history pages by it).
public struct StoredAttempt: Hashable, Sendable {
    /// The row id.
    public let id: Int64
    /// The attempt.
    public let attempt: CollectionAttempt
    /// The head accepted for the node at the time of the attempt (the one a `collected` attempt
    /// accepted, the one an `upToDate` attempt found unchanged), `nil` when none was.
    public let acceptedHead: HeadSummary?

    /// A stored attempt.
    public init(id: Int64, attempt: CollectionAttempt, acceptedHead: HeadSummary?) {
        self.id = id
        self.attempt = attempt
        self.acceptedHead = acceptedHead
    }
}

/// One `audit collect` as the history shows it: its attempts, one per node, in the order made.
///
/// The store keeps attempts, not runs: a run is read back as consecutive attempts (by row id) in
/// which no node appears twice and each follows the previous within ``CollectionReader/runGap``.
/// A run visits every node once, so a repeated node starts the next run.
public struct CollectionRunRecord: Hashable, Sendable {
    /// The attempts of the run, oldest first.
    public let attempts: [StoredAttempt]

    /// A run.
    public init(attempts: [StoredAttempt]) {
        self.attempts = attempts
    }

    /// When it started (its first attempt).
    public var startedAt: Timestamp? { attempts.first?.attempt.at }
    /// The attempts that did not collect: unreachable, refused or flagged.
    public var failures: [StoredAttempt] {
        attempts.filter { ![.collected, .upToDate].contains($0.attempt.outcome) }
    }
}

/// A page of the collection history, newest run first.
public struct CollectionHistoryPage: Sendable {
    /// The runs of the page, newest first.
    public let runs: [CollectionRunRecord]
    /// The attempt id to pass as `before` for the older page, `nil` on the last page.
    public let next: Int64?

    /// A page.
    public init(runs: [CollectionRunRecord], next: Int64?) {
        self.runs = runs
        self.next = next
    }
}

/// Which findings to read.
public struct FindingQuery: Sendable, Hashable {
    /// Only this node's.
    public var state: StateCode?
    /// Only this kind.
    public var kind: CollectionFinding.Kind?
    /// Only findings older than this row id (the previous page's ``FindingPage/next``).
    public var before: Int64?
    /// At most this many (clamped to 1…``maximumLimit``).
    public var limit: Int

    /// The largest page.
    public static let maximumLimit = 200

    /// A query: every finding, newest first, 50 a page.
    public init(state: StateCode? = nil, kind: CollectionFinding.Kind? = nil, before: Int64? = nil, limit: Int = 50) {
        self.state = state
        self.kind = kind
        self.before = before
        self.limit = limit
    }

    /// The limit actually used.
    public var boundedLimit: Int { min(max(limit, 1), Self.maximumLimit) }
}

/// A page of findings, newest first.
public struct FindingPage: Sendable {
    /// The findings of the page.
    public let items: [CollectionFinding]
    /// The row id to pass as `before` for the older page, `nil` on the last page.
    public let next: Int64?

    /// A page.
    public init(items: [CollectionFinding], next: Int64?) {
        self.items = items
        self.next = next
    }
}

/// Where the store stands: the last row of each table. Anything the pages show changes only
/// when one of them does, so a reconciliation made at one version holds until the next.
public struct CollectionVersion: Hashable, Sendable {
    /// The last head row id (0 when none).
    public let head: Int64
    /// The last finding row id.
    public let finding: Int64
    /// The last attempt row id.
    public let attempt: Int64
}

/// The reconciliation of every link the collected logs mention (``LinkReconciler``), with the
/// findings and implausible values ``AuditReport/assemble`` derives from it, as of one version.
public struct CollectionReconciliation: Sendable {
    /// The store's version it was made from.
    public let version: CollectionVersion
    /// The states of the matrix: every node the store holds, in order.
    public let states: [StateCode]
    /// Every link a log mentions, in link order.
    public let links: [LinkReport]
    /// The findings of the links, the implausible values and the nodes whose last collection failed
    /// or that were never collected (as `audit report`), critical first (the collector's own
    /// findings are in the store: ``CollectionReader/findings(_:)``).
    public let findings: [ReportFinding]
    /// Entries read to make it.
    public let entriesRead: UInt64
    /// The lateness limit used, ms.
    public let lateAfterMilliseconds: UInt64

    /// The link `origin → recipient`, if a log mentions it.
    public func link(from origin: StateCode, to recipient: StateCode) -> LinkReport? {
        links.first { $0.origin == origin && $0.recipient == recipient }
    }
}
