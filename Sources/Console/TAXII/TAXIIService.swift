import BulletinSchema
import Clearance
import ConsoleAccounts
import Dispatch
import Foundation
import Logging
import STIX
import Store
import StoredSTIX
import Synchronization
import TAXII

/// The node console's TAXII 2.1 server for the state's agency systems (docs/TAXII.md): who is
/// asking (``authenticate(_:)``), what their collections are, and the objects engine and index,
/// off the event loops. Read-only: agencies never write.
final class TAXIIService: Sendable {
    /// The API root's path.
    static let apiRootPath = "/taxii2/bordernet/"
    /// The realm of `WWW-Authenticate`.
    static let realm = "BorderNet TAXII"
    /// The longest `Authorization` header read.
    static let maximumAuthorizationLength = 512
    /// Bulletins the object index maps within one request before it answers 503 and goes on in
    /// the background.
    static let indexBudgetPerRequest = 2_000

    let accounts: AccountStore
    /// The node: its audit log receives the records of what agencies received.
    let node: NodeGateway
    let engine: TAXIIObjectEngine
    let index: STIXObjectIndex
    let logger: Logger
    /// The node's folder name, in titles.
    let nodeLabel: String
    /// Pages served and refusals recorded within the node's bound on agency records.
    let gate: TAXIIAccessGate
    /// `Retry-After` when the node is not taking agency records.
    static let nodeStalledRetryAfter = 5
    private let indexing = Mutex(false)
    private static let queue = DispatchQueue(label: "bordernet.console.taxii", attributes: .concurrent)

    /// The server of `node`'s store; `gate`: the limits of docs/TAXII.md unless a test gives others.
    /// `links`: the node's search index for the relationships of correlation links (`nil` when
    /// `[search] enabled = false`: none).
    init(
        accounts: AccountStore, node: NodeGateway, reader: BulletinReader, catalog: SchemaCatalog, nodeLabel: String, logger: Logger,
        links: (any CorrelationLinkSource)? = nil, gate: TAXIIAccessGate? = nil
    ) {
        self.gate = gate ?? TAXIIAccessGate(logger: logger)
        self.accounts = accounts
        self.node = node
        engine = TAXIIObjectEngine(
            bodies: StoredBulletinBodies(reader: reader, catalog: catalog), mapper: STIXMapper(crossingPoints: catalog.crossingPoints),
            links: links)
        index = STIXObjectIndex(engine: engine)
        self.logger = logger
        self.nodeLabel = nodeLabel
    }

    /// Runs `work` off the event loops (SQLite and the mapping block).
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    // MARK: Credentials

    /// The credentials of an `Authorization` header, not yet checked.
    enum Presented: Equatable {
        case basic(name: String, token: String)
        case bearer(token: String)
    }

    /// Reads `Basic base64(name:token)`, `Bearer token`, or `Token token` (what taxii2-client's
    /// `TokenAuth` sends); `nil` for anything else.
    static func presented(_ header: String?) -> Presented? {
        guard let header, header.utf8.count <= maximumAuthorizationLength else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer", "token":
            return value.isEmpty ? nil : .bearer(token: value)
        case "basic":
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { return nil }
            return .basic(name: String(text[..<colon]), token: String(text[text.index(after: colon)...]))
        default:
            return nil
        }
    }

    /// The agency the header authenticates: a token that is active (not revoked, not expired)
    /// and, with Basic, whose agency has the name given. `nil` otherwise.
    func authenticate(_ header: String?, now: Date = Date()) throws -> AgencyCredential? {
        guard let presented = Self.presented(header) else { return nil }
        switch presented {
        case .bearer(let token):
            return try accounts.agency(token: token, now: now)
        case .basic(let name, let token):
            guard let agency = try accounts.agency(token: token, now: now), agency.name == name.lowercased() else { return nil }
            return agency
        }
    }

    // MARK: Collections

    /// One of an agency's collections: its kind, id and the grant its objects are read under.
    struct Collection {
        let kind: TAXIICollectionKind
        let id: String
        let grant: AgencyGrant
        let title: String
        let description: String

        var resource: JSONValue { TAXIIResource.collection(id: id, title: title, description: description) }
    }

    /// The agency's collections: everything, then one per working group of its grant.
    func collections(of agency: AgencyCredential) -> [Collection] {
        let grant = agency.grant
        var out = [
            Collection(
                kind: .everything, id: TAXIICollectionKind.everything.id(agency: agency.name), grant: grant,
                title: "BorderNet \(nodeLabel): everything for \(agency.name)",
                description: "Every bulletin this agency may receive, as STIX 2.1 (docs/TAXII.md).")
        ]
        for group in grant.workingGroups.sorted(by: { $0.rawValue < $1.rawValue }) {
            let kind = TAXIICollectionKind.workingGroup(group.rawValue)
            out.append(
                Collection(
                    kind: kind, id: kind.id(agency: agency.name),
                    grant: AgencyGrant(workingGroups: [group], highestTLP: grant.highestTLP, agencyKind: grant.agencyKind),
                    title: "BorderNet \(nodeLabel): \(group.rawValue) for \(agency.name)",
                    description: "The bulletins of the \(group.rawValue) working group this agency may receive, as STIX 2.1."))
        }
        return out
    }

    // MARK: Object index

    /// Brings the object index up to date within this request's budget; when the store holds
    /// more, the rest is indexed in the background and the request answered 503.
    func indexIsCurrent() throws -> Bool {
        if try index.catchUp(budget: Self.indexBudgetPerRequest) { return true }
        let start = indexing.withLock { running -> Bool in
            guard !running else { return false }
            running = true
            return true
        }
        if start {
            logger.info("TAXII object index: building in the background", metadata: ["indexed": "\(index.count)"])
            Self.queue.async { [self] in
                for _ in 0..<100_000 {
                    guard let done = try? index.catchUp(budget: 1_000), !done else { break }
                }
                indexing.withLock { $0 = false }
                logger.info("TAXII object index: built", metadata: ["indexed": "\(index.count)"])
            }
        }
        return false
    }

    // MARK: Audit

    /// Before the work of a page that delivers bulletins: holds the place of its record in the
    /// console's queue and takes one from the bound on agency records, so that the page is served
    /// only when its record will reach the node's audit log. Throws 503 when the node is not taking
    /// records (down or stalled: the queue holds ``AgencyAccessBound/consolePending`` agency
    /// records already), 429 with the seconds to wait when the bound is spent (docs/TAXII.md,
    /// "Limits"). Neither is recorded: nothing was delivered.
    func admitDelivery(agency: AgencyCredential) throws(TAXIIError) -> AgencyRecordSlot {
        guard let slot = node.reserveAgencyRecord() else {
            throw TAXIIError.unavailable(
                "The node is not taking audit records now, and no page is served unrecorded; try again in a few seconds.",
                retryAfter: Self.nodeStalledRetryAfter)
        }
        if let seconds = gate.admitDelivery(agency: agency.id) {
            // The slot ends here unused: its place is given back.
            throw TAXIIError.tooManyRequests(retryAfter: seconds)
        }
        return slot
    }

    /// Records that `agency` received a page holding objects of `bulletins` (none: a poll that
    /// found nothing new, still an access) in the node's audit log, in the place `slot` holds in
    /// the console's ``AccessRecorder`` queue (docs/AUDIT.md §3.3).
    func recordDelivery(_ slot: AgencyRecordSlot, agency: AgencyCredential, bulletins: [String]) {
        slot.recordDelivery(agency: agency.id, bulletins: bulletins)
    }

    /// Records a refused request: `agency` when a valid token named one (a collection it may
    /// not see, a write), `nil` for missing or invalid credentials — within the refusals' share
    /// of the bound (``TAXIIAccessGate/admitRefusal()``): past it, counted and logged only.
    func recordRefusal(agency: AgencyCredential?) {
        guard gate.admitRefusal() else { return }
        node.recordAgencyRefusal(agency: agency?.id)
    }
}
