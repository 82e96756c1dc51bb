import BulletinSchema
import Dispatch
import Exchange
import Foundation
import Logging
import NodeClient
import NodeSetup
import Store
import Wire

/// Everything the console asks of its node, and nothing more: bulletins read from the store over
/// a read-only connection, posts and status through the control socket. The console holds no key
/// and opens no key file; a compromise of the web side gets what these calls give.
///
/// The store reader and the control client block (SQLite, ZeroMQ); each call runs on a dispatch
/// queue so the server's event loops never wait on them. Access records for the node's audit
/// log go through ``AccessRecorder``'s bounded queue: recording never makes a page wait.
struct NodeGateway: Sendable {
    let directory: NodeDirectory
    let catalog: SchemaCatalog
    /// The store, read-only (also the TAXII server's).
    let reader: BulletinReader?
    /// The node's search index, `search.sqlite` beside the store, read-only (``SearchGateway``);
    /// `nil` on the secretariat's console.
    let search: SearchGateway?
    private let control: ControlClient?
    /// The control socket for posts with files: the node checks, cleans and seals up to
    /// `max_bulletin_bytes` before it answers, which takes longer than any other command.
    private let uploadControl: ControlClient?
    /// The node's `[attachments]` bounds as the post form's body bounds (``UploadLimits``).
    let uploadLimits: UploadLimits
    /// The queue of access records to the node's audit log (none on the secretariat's console).
    let accessRecorder: AccessRecorder?
    private static let queue = DispatchQueue(label: "bordernet.console.node", attributes: .concurrent)

    init(nodeData: URL, catalog: SchemaCatalog, logger: Logger) throws {
        directory = NodeDirectory(path: nodeData.path)
        self.catalog = catalog
        // node.toml names the store (relative to the data folder unless absolute); the console
        // reads the configuration, never the keys beside it.
        let configuration = try directory.loadConfiguration()
        let storePath = configuration.storePath
        uploadLimits = UploadLimits(node: configuration)
        let storeFile =
            storePath.hasPrefix("/")
            ? URL(fileURLWithPath: storePath) : directory.root.appendingPathComponent(storePath)
        reader = try BulletinReader(storeFile: storeFile)
        search = SearchGateway(file: storeFile.deletingLastPathComponent().appendingPathComponent("search.sqlite"))
        control = ControlClient(directory: directory, timeoutMilliseconds: 15_000)
        uploadControl = ControlClient(directory: directory, timeoutMilliseconds: 60_000)
        accessRecorder = AccessRecorder(
            control: ControlClient(directory: directory, timeoutMilliseconds: 5_000), logger: logger)
    }

    /// Queues an access record for the node's audit log and returns at once (``AccessRecorder``).
    func recordAccess(
        account: Int64, role: String?, _ action: ConsoleAccessRecord.Action, _ outcome: ConsoleAccessRecord.Outcome,
        bulletin: String? = nil
    ) {
        accessRecorder?.record(
            ConsoleAccessRecord(account: account, role: role, action: action, outcome: outcome, bulletin: bulletin))
    }

    /// Holds the place of a TAXII page's record in the queue, or `nil` when the node is not taking
    /// agency records (down, stalled, or no node): the page must then not be served
    /// (``AccessRecorder/reserveAgencyRecord()``). The slot's
    /// ``AgencyRecordSlot/recordDelivery(agency:bulletins:)`` queues the record of the response
    /// (references, at most 100: one page; audit kind `agencyAccess`).
    func reserveAgencyRecord() -> AgencyRecordSlot? {
        accessRecorder?.reserveAgencyRecord()
    }

    /// Queues the record of a refused TAXII request — `agency` when a valid token named one,
    /// `nil` when none did — and returns at once (``AccessRecorder/recordAgencyRefusal(agency:)``).
    func recordAgencyRefusal(agency: Int64? = nil) {
        accessRecorder?.recordAgencyRefusal(agency: agency)
    }

    /// At the console's stop: one last attempt to deliver the queued access records, bounded by
    /// ``AccessRecorder/finishBound``, off the event loops (``AccessRecorder/finish(within:)``).
    func finishAccessRecords() async {
        guard let accessRecorder else { return }
        await withCheckedContinuation { continuation in
            Self.queue.async {
                accessRecorder.finish()
                continuation.resume()
            }
        }
    }

    /// No node: the secretariat's console, which has no store and posts nothing. Its pages never
    /// reach the node's (``SecretariatGate``); were one to, it would find no bulletin and post nothing.
    init(absentWith catalog: SchemaCatalog, label folder: URL) {
        directory = NodeDirectory(path: folder.path)
        self.catalog = catalog
        reader = nil
        search = nil
        control = nil
        uploadControl = nil
        uploadLimits = UploadLimits(node: NodeConfiguration())
        accessRecorder = nil
    }

    /// Runs `work` off the event loops.
    private static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    func page(_ query: BulletinQuery) async throws -> BulletinPage {
        guard let reader else { return BulletinPage(items: [], next: nil) }
        return try await Self.offload { try reader.page(query) }
    }

    func summary(id: String) async throws -> BulletinSummary? {
        guard let reader else { return nil }
        return try await Self.offload { try reader.summary(id: id) }
    }

    func bulletin(id: String) async throws -> BulletinRecord? {
        guard let reader else { return nil }
        return try await Self.offload { try reader.bulletin(id: id) }
    }

    /// The attachments of bulletin `id` as this node holds them, in their order.
    func attachments(of id: String) async throws -> [StoredAttachment] {
        guard let reader else { return [] }
        return try await Self.offload { try reader.attachments(of: id) }
    }

    /// The recipients' attachment receipts of one of this node's bulletins: recipient → number → held.
    func attachmentReceipts(of id: String) async throws -> [StateCode: [Int: Bool]] {
        guard let reader else { return [:] }
        return try await Self.offload { try reader.attachmentReceipts(of: id) }
    }

    /// The file of a complete attachment: every sealed chunk read and opened at its place, and the
    /// file's SHA-256 checked against the signed body's (``AttachmentCipher/openFile(of:key:sha256:chunk:)``).
    /// Throws when a chunk is missing or does not open, or the hash differs: such a file is never served.
    func file(of attachment: StoredAttachment) async throws -> [UInt8] {
        guard let reader else { throw AttachmentError.chunkMissing(index: 0) }
        return try await Self.offload {
            guard let binding = attachment.binding else { throw AttachmentError.chunkMissing(index: 0) }
            let key = try AttachmentKey(base64URL: attachment.key)
            return try AttachmentCipher.openFile(of: binding, key: key, sha256: attachment.sha256) { index in
                try reader.chunk(of: attachment.bulletin, number: attachment.number, index: index)
            }
        }
    }

    /// Posts a draft to `recipients` through the control socket, with its attached files if any:
    /// the same `post` request as `bordernet post --attach` (a description of each file, then
    /// each file in its own frame), so the node's checks, limits and refusals are the same. The
    /// recipients are always sent: an empty list is refused here rather than left to the node's
    /// default (every link).
    func post(
        draft: [UInt8], recipients: [String], attachments: [AttachmentUpload] = [], files: [[UInt8]] = []
    ) async throws -> ControlResponse {
        guard !recipients.isEmpty else { return .failure("no recipient chosen") }
        guard let control, let uploadControl else { return .failure("this console has no node") }
        let client = files.isEmpty ? control : uploadControl
        return try await Self.offload {
            try client.send(
                ControlRequest(
                    command: .post, draft: draft, recipients: recipients,
                    attachments: attachments.isEmpty ? nil : attachments, files: files))
        }
    }

    /// A watch-list request (`watchAdd`, `watchRemove`, `watchList`) through the control socket;
    /// the node checks every member and audits changes (docs/SEARCH.md).
    func watch(_ command: ControlRequest.Command, _ request: WatchRequest) async throws -> ControlResponse {
        guard let control else { return .failure("this console has no node") }
        return try await Self.offload { try control.send(ControlRequest(command: command, watch: request)) }
    }

    /// The node's status: its state, links and counters.
    func status() async throws -> NodeStatus? {
        guard let control else { return nil }
        return try await Self.offload { try control.send(ControlRequest(command: .status)).status }
    }
}
