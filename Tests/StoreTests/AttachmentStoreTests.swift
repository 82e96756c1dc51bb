import Exchange
import Foundation
import Sodium
import Store
import Testing

/// Attachments at rest (docs/PROTOCOL.md §17, migration v5): the origin stores every sealed chunk
/// with its post, a recipient stores the list with the bulletin and each chunk as it pulls it.
/// A real SQLite store in a temporary folder, written through the node's own API and read back
/// through it and through the console's ``BulletinReader``.
@Suite("Attachments in the bulletin store")
struct AttachmentStoreTests {
    let folder: TemporaryFolder
    let path: String
    let ma = Fixtures.morocco
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia
    let mr = Fixtures.state("MR")

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("store.sqlite")
    }

    func reader() throws -> BulletinReader { try BulletinReader(storeFile: URL(fileURLWithPath: path)) }

    /// Bulletin `number` of `origin`, whose body names it.
    func bulletin(_ number: UInt8, origin: StateCode, storedAt: UInt64 = 1_000) -> StoredBulletin {
        let reference = Fixtures.reference(number, origin: origin)
        return StoredBulletin(
            reference: reference, incidentType: "drug-trafficking", tlp: .amber, createdAt: Fixtures.time(900),
            storedAt: Fixtures.time(storedAt), body: Array(#"{"id":"\#(reference)"}"#.utf8))
    }

    /// A row for attachment `number` of `bulletin`, of `size` bytes.
    func row(
        _ bulletin: BulletinReference, number: Int, size: UInt64 = 100, state: StoredAttachment.State = .transfer,
        held: UInt64 = 0,
        updatedAt: UInt64 = 1_000, sha: UInt8 = 0xAB, key: String = AttachmentCipher.generateKey().base64URL
    ) -> StoredAttachment {
        StoredAttachment(
            bulletin: bulletin, number: number, sha256: [UInt8](repeating: sha, count: 32), size: size,
            mediaType: "image/jpeg",
            fileName: "photo-\(number).jpg", key: key, chunkCount: AttachmentCipher.chunkCount(size: size),
            chunksHeld: held, state: state, updatedAt: Fixtures.time(updatedAt))
    }

    /// A file of `size` bytes sealed for attachment `number` of `bulletin`: its row (`complete`)
    /// and its chunks, as the node posts it.
    func posted(_ bulletin: BulletinReference, number: Int, size: Int) throws -> (
        PostedAttachment, file: [UInt8], key: AttachmentKey
    ) {
        let file = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ number) }
        let key = AttachmentCipher.generateKey()
        let binding = AttachmentBinding(bulletinID: bulletin.id, number: UInt16(number), size: UInt64(size))
        let chunk = AttachmentCipher.chunkByteCount
        let sealed = try (0..<binding.chunkCount).map { index in
            let start = Int(index) * chunk
            return try AttachmentCipher.seal(
                Array(file[start..<min(start + chunk, size)]), index: index, of: binding, key: key)
        }
        var record = row(
            bulletin, number: number, size: UInt64(size), state: .complete, held: binding.chunkCount, key: key.base64URL
        )
        record.sha256 = SHA256.hash(file)
        return (PostedAttachment(record: record, sealedChunks: sealed), file, key)
    }

    /// Posts `bulletin` from MA to `recipients` with `attachments`, as the node does.
    func post(
        _ bulletin: StoredBulletin, to recipients: [StateCode], attachments: [PostedAttachment], in store: BulletinStore
    ) throws {
        _ = try store.recordPosts([
            BulletinStore.Post(bulletin: bulletin, recipients: recipients, attachments: attachments)
        ]) {
            _, recipient, last in
            OutgoingEnvelope(
                recipient: recipient, sequence: last.sequence + 1, bulletin: bulletin.reference,
                hash: Fixtures.hash("\(bulletin.reference)->\(recipient)"), bytes: [1, 2, 3],
                createdAt: bulletin.storedAt)
        }
    }

    /// Receives `bulletin` (or a refused one: `nil`) from its origin with `attachments`.
    func deliver(
        _ bulletin: StoredBulletin, stored: Bool = true, attachments: [StoredAttachment], in store: BulletinStore,
        seed: String = ""
    ) throws {
        let sequence = (try store.lastIncomingPosition(from: bulletin.origin)?.sequence ?? 0) + 1
        try store.recordDeliveries([
            BulletinStore.Delivery(
                envelope: IncomingEnvelope(
                    origin: bulletin.origin, sequence: sequence, bulletin: bulletin.reference,
                    hash: Fixtures.hash("in \(bulletin.reference) \(sequence) \(seed)"), receivedAt: bulletin.storedAt),
                bulletin: stored ? bulletin : nil, attachments: attachments)
        ])
    }

    func chunk(_ bulletin: BulletinReference, _ number: Int, _ index: UInt64, _ bytes: [UInt8]) -> ReceivedChunk {
        ReceivedChunk(bulletin: bulletin, number: number, index: index, sealed: bytes)
    }

    // MARK: The origin

    @Test("a post stores its attachments complete with every chunk, read back through the store and the reader")
    func postStoresEveryChunk() throws {
        let store = try BulletinStore(path: path)
        let bulletin = self.bulletin(1, origin: ma)
        let (photo, photoFile, photoKey) = try posted(bulletin.reference, number: 1, size: 70_000)
        let (report, _, _) = try posted(bulletin.reference, number: 2, size: 10)
        try post(bulletin, to: [dz, tn], attachments: [photo, report], in: store)

        let rows = try store.attachments(of: bulletin.reference)
        #expect(rows == [photo.record, report.record])
        #expect(rows.map(\.state) == [.complete, .complete])
        #expect(rows.map(\.chunksHeld) == [2, 1] && rows.map(\.chunkCount) == [2, 1])
        #expect(try store.heldChunks(of: bulletin.reference, number: 1) == [0, 1])
        #expect(try store.chunk(of: bulletin.reference, number: 1, index: 0) == photo.sealedChunks[0])
        #expect(try store.chunk(of: bulletin.reference, number: 1, index: 1) == photo.sealedChunks[1])
        #expect(try store.chunk(of: bulletin.reference, number: 2, index: 0) == report.sealedChunks[0])
        #expect(try store.chunk(of: bulletin.reference, number: 1, index: 2) == nil)
        #expect(try store.chunk(of: bulletin.reference, number: 3, index: 0) == nil)
        #expect(try store.chunk(of: bulletin.reference, number: 1, index: .max) == nil)
        // Own attachments are never pulled.
        #expect(try store.attachmentsInTransfer(from: ma, limit: 10) == [])

        let reader = try reader()
        #expect(try reader.attachments(of: bulletin.reference.description) == rows)
        #expect(try reader.chunk(of: bulletin.reference, number: 1, index: 1) == photo.sealedChunks[1])
        #expect(try reader.chunk(of: bulletin.reference, number: 1, index: 2) == nil)
        #expect(try reader.chunk(of: bulletin.reference, number: 1, index: .max) == nil)
        // The file opens from what the reader reads, under the key in the row.
        let binding = try #require(rows[0].binding)
        let opened = try AttachmentCipher.openFile(
            of: binding, key: AttachmentKey(base64URL: rows[0].key), sha256: rows[0].sha256
        ) {
            try reader.chunk(of: bulletin.reference, number: 1, index: $0)
        }
        #expect(opened == photoFile)
        #expect(photoKey.base64URL == rows[0].key)
        // Ids that name nothing, or are not ids.
        #expect(try reader.attachments(of: Fixtures.reference(9, origin: ma).description) == [])
        #expect(try reader.attachments(of: "MA-not-a-ulid") == [])
        #expect(try reader.attachments(of: "") == [])
        #expect(try store.attachments(of: Fixtures.reference(9, origin: ma)) == [])
    }

    @Test("a bulletin was sent only to the post's recipients: only they may pull its attachments")
    func wasSent() throws {
        let store = try BulletinStore(path: path)
        let own = bulletin(1, origin: ma)
        let (photo, _, _) = try posted(own.reference, number: 1, size: 10)
        try post(own, to: [dz, tn], attachments: [photo], in: store)
        try post(bulletin(2, origin: ma), to: [mr], attachments: [], in: store)
        let received = bulletin(3, origin: dz)
        try deliver(received, attachments: [row(received.reference, number: 1)], in: store)

        #expect(try store.wasSent(own.reference, to: dz))
        #expect(try store.wasSent(own.reference, to: tn))
        #expect(try !store.wasSent(own.reference, to: mr), "MR was sent another bulletin, not this one")
        #expect(try !store.wasSent(own.reference, to: ma))
        #expect(try !store.wasSent(Fixtures.reference(9, origin: ma), to: dz), "a bulletin never posted")
        // A bulletin received from DZ was not sent to DZ (nor to anyone) by this node.
        #expect(try !store.wasSent(received.reference, to: dz))
        #expect(try !store.wasSent(received.reference, to: tn))
    }

    // MARK: A recipient

    @Test("a delivery stores the bulletin's attachments in transfer, with no chunk; a refused bulletin stores none")
    func deliveryStoresTransferRows() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        let rows = [
            row(received.reference, number: 1, size: 200_000), row(received.reference, number: 2, size: 5),
            row(received.reference, number: 3, size: 1 << 40, state: .refused),
        ]
        try deliver(received, attachments: rows, in: store)
        #expect(try store.attachments(of: received.reference) == rows)
        #expect(try store.attachments(of: received.reference).map(\.chunkCount) == [4, 1, 1 << 24])
        #expect(try store.heldChunks(of: received.reference, number: 1) == [])
        #expect(try store.chunk(of: received.reference, number: 1, index: 0) == nil)
        #expect(try reader().attachments(of: received.reference.description) == rows)

        let refused = bulletin(2, origin: dz)
        try deliver(refused, stored: false, attachments: [row(refused.reference, number: 1)], in: store)
        #expect(try store.attachments(of: refused.reference) == [])
        #expect(
            try store.attachmentsInTransfer(from: dz, limit: 10).map(\.bulletin) == [
                received.reference, received.reference,
            ])
    }

    @Test(
        "attachments in transfer from an origin: in the order their bulletins were stored (not by last change), at most the limit, no other origin's, none done"
    )
    func inTransferOrder() throws {
        let store = try BulletinStore(path: path)
        let (first, second, third) = (bulletin(1, origin: dz), bulletin(2, origin: dz), bulletin(3, origin: dz))
        try deliver(
            first,
            attachments: [
                row(first.reference, number: 1, updatedAt: 3_000), row(first.reference, number: 2, updatedAt: 1_500),
            ], in: store)
        try deliver(
            second,
            attachments: [
                row(second.reference, number: 1, updatedAt: 1_000),
                row(second.reference, number: 2, state: .refused, updatedAt: 500),
                row(second.reference, number: 3, state: .complete, updatedAt: 400),
            ], in: store)
        try deliver(third, attachments: [row(third.reference, number: 1, updatedAt: 2_000)], in: store)
        let fromTN = bulletin(4, origin: tn)
        try deliver(fromTN, attachments: [row(fromTN.reference, number: 1, updatedAt: 100)], in: store)

        func places(_ rows: [StoredAttachment]) -> [String] {
            rows.map { "\($0.bulletin.id.bytes.last ?? 0)#\($0.number)" }
        }
        // A file whose chunks came lately (a later updated_at) keeps its place: a transfer cut by a
        // restart goes on before the files of later bulletins.
        #expect(places(try store.attachmentsInTransfer(from: dz, limit: 10)) == ["1#1", "1#2", "2#1", "3#1"])
        #expect(places(try store.attachmentsInTransfer(from: dz, limit: 2)) == ["1#1", "1#2"])
        #expect(places(try store.attachmentsInTransfer(from: dz, limit: 1)) == ["1#1"])
        #expect(places(try store.attachmentsInTransfer(from: tn, limit: 10)) == ["4#1"])
        #expect(try store.attachmentsInTransfer(from: mr, limit: 10) == [])
        // A later bulletin after them, its files by number.
        let fourth = bulletin(5, origin: dz)
        try deliver(
            fourth,
            attachments: [
                row(fourth.reference, number: 2, updatedAt: 1_000), row(fourth.reference, number: 1, updatedAt: 1_000),
            ], in: store)
        #expect(
            places(try store.attachmentsInTransfer(from: dz, limit: 10)) == ["1#1", "1#2", "2#1", "3#1", "5#1", "5#2"])
        // Finished ones leave the list.
        for (reference, number) in [(first.reference, 1), (first.reference, 2), (second.reference, 1)] {
            try store.finishAttachment(reference, number: number, state: .complete, at: Fixtures.time(5_000))
        }
        #expect(places(try store.attachmentsInTransfer(from: dz, limit: 1)) == ["3#1"])
    }

    @Test("recorded chunks are stored and counted; a chunk already held is counted once and kept as it was")
    func recordChunks() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        try deliver(
            received,
            attachments: [row(received.reference, number: 1, size: 200_000), row(received.reference, number: 2)],
            in: store)
        let reference = received.reference

        try store.recordChunks(
            [
                chunk(reference, 1, 0, [1]), chunk(reference, 1, 2, [3]), chunk(reference, 1, 0, [9]),
                chunk(reference, 2, 0, [5]),
            ],
            at: Fixtures.time(2_000))
        var rows = try store.attachments(of: reference)
        #expect(rows.map(\.chunksHeld) == [2, 1])
        #expect(rows.map(\.updatedAt) == [Fixtures.time(2_000), Fixtures.time(2_000)])
        #expect(rows.map(\.state) == [.transfer, .transfer], "recording chunks does not finish a transfer")
        #expect(try store.heldChunks(of: reference, number: 1) == [0, 2])
        #expect(try store.chunk(of: reference, number: 1, index: 0) == [1], "the chunk held first is kept")
        #expect(try store.chunk(of: reference, number: 1, index: 2) == [3])

        // The same chunk again in a later batch: still counted once.
        try store.recordChunks([chunk(reference, 1, 2, [4]), chunk(reference, 1, 1, [2])], at: Fixtures.time(3_000))
        rows = try store.attachments(of: reference)
        #expect(rows.map(\.chunksHeld) == [3, 1])
        #expect(
            rows.map(\.updatedAt) == [Fixtures.time(3_000), Fixtures.time(2_000)],
            "only the attachment touched is updated")
        #expect(try store.chunk(of: reference, number: 1, index: 2) == [3])
        #expect(try reader().chunk(of: reference, number: 1, index: 1) == [2])

        // Nothing to record: nothing changes.
        try store.recordChunks([], at: Fixtures.time(4_000))
        #expect(try store.attachments(of: reference) == rows)
    }

    @Test("chunks of an attachment not in transfer (complete, refused, unknown, own) are not stored")
    func chunksNotInTransfer() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        try deliver(
            received,
            attachments: [
                row(received.reference, number: 1), row(received.reference, number: 2, state: .complete, held: 1),
                row(received.reference, number: 3, state: .refused),
            ], in: store)
        let own = bulletin(2, origin: ma)
        let (photo, _, _) = try posted(own.reference, number: 1, size: 10)
        try post(own, to: [dz], attachments: [photo], in: store)
        let before = try store.attachments(of: received.reference)

        try store.recordChunks(
            [
                chunk(received.reference, 2, 0, [2]), chunk(received.reference, 3, 0, [3]),
                chunk(received.reference, 4, 0, [4]),
                chunk(Fixtures.reference(9, origin: dz), 1, 0, [5]), chunk(own.reference, 1, 0, [6]),
                chunk(received.reference, 1, 0, [1]),
            ], at: Fixtures.time(2_000))
        let after = try store.attachments(of: received.reference)
        #expect(after[0].chunksHeld == 1 && after[0].updatedAt == Fixtures.time(2_000))
        #expect(Array(after[1...]) == Array(before[1...]), "rows not in transfer are not touched")
        for number in [2, 3, 4] {
            #expect(try store.heldChunks(of: received.reference, number: number) == [], "attachment \(number)")
        }
        #expect(try store.chunk(of: Fixtures.reference(9, origin: dz), number: 1, index: 0) == nil)
        #expect(
            try store.chunk(of: own.reference, number: 1, index: 0) == photo.sealedChunks[0],
            "the origin's own chunk is not replaced")
        #expect(try store.attachments(of: own.reference) == [photo.record])
    }

    @Test("a refused attachment loses its chunks and takes none after; a complete one keeps them")
    func finish() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        try deliver(
            received,
            attachments: [row(received.reference, number: 1, size: 200_000), row(received.reference, number: 2)],
            in: store)
        let reference = received.reference
        try store.recordChunks(
            [chunk(reference, 1, 0, [1]), chunk(reference, 1, 1, [2]), chunk(reference, 2, 0, [3])],
            at: Fixtures.time(2_000))

        try store.finishAttachment(
            reference, number: 1, state: .refused, detail: "its SHA-256 differs", at: Fixtures.time(3_000))
        let refused = try #require(try store.attachments(of: reference).first)
        #expect(refused.state == .refused && refused.detail == "its SHA-256 differs")
        #expect(refused.chunksHeld == 0 && refused.updatedAt == Fixtures.time(3_000))
        #expect(try store.heldChunks(of: reference, number: 1) == [])
        #expect(try store.chunk(of: reference, number: 1, index: 0) == nil)
        try store.recordChunks([chunk(reference, 1, 2, [9])], at: Fixtures.time(4_000))
        #expect(try store.heldChunks(of: reference, number: 1) == [])
        #expect(try store.attachments(of: reference).first == refused)

        try store.finishAttachment(reference, number: 2, state: .complete, at: Fixtures.time(5_000))
        let complete = try #require(try store.attachments(of: reference).last)
        #expect(complete.state == .complete && complete.detail == nil && complete.chunksHeld == 1)
        #expect(try store.chunk(of: reference, number: 2, index: 0) == [3])
        #expect(try reader().attachments(of: reference.description).map(\.state) == [.refused, .complete])
        #expect(try store.attachmentsInTransfer(from: dz, limit: 10) == [])
    }

    @Test(
        "receipts due: finished files not confirmed, oldest first, in rounds after a cursor that walk them all; confirmed ones leave"
    )
    func receiptsDue() throws {
        let store = try BulletinStore(path: path)
        // Five bulletins of DZ with two files each, finished at 2,000 + 10 × bulletin (both files
        // of a bulletin at the same time: the bulletin and the number order them).
        var files: [(bulletin: BulletinReference, number: Int)] = []
        for number in UInt8(1)...5 {
            let received = bulletin(number, origin: dz, storedAt: 1_000 + UInt64(number))
            try deliver(
                received, attachments: [row(received.reference, number: 1), row(received.reference, number: 2)],
                in: store)
            for file in 1...2 {
                try store.finishAttachment(
                    received.reference, number: file, state: file == 1 ? .complete : .refused,
                    at: Fixtures.time(2_000 + 10 * UInt64(number)))
                files.append((received.reference, file))
            }
        }
        // One still in transfer is never due; neither is another origin's.
        let other = bulletin(9, origin: tn)
        try deliver(other, attachments: [row(other.reference, number: 1)], in: store)
        func places(_ rows: [StoredAttachment]) -> [String] { rows.map { "\($0.bulletin)/\($0.number)" } }
        let finished = files.map { "\($0.bulletin)/\($0.number)" }

        let first = try store.attachmentReceiptsDue(from: dz, limit: 4)
        #expect(places(first) == Array(finished[0..<4]))
        let second = try store.attachmentReceiptsDue(from: dz, limit: 4, after: first.last)
        #expect(places(second) == Array(finished[4..<8]))
        // Confirmed meanwhile: one before the cursor and one after it. Neither is sent again, and
        // the round after the cursor loses nothing.
        try store.markAttachmentReceiptKept(first[0].bulletin, number: first[0].number)
        try store.markAttachmentReceiptKept(files[8].bulletin, number: files[8].number)
        let third = try store.attachmentReceiptsDue(from: dz, limit: 4, after: second.last)
        #expect(places(third) == [finished[9]])
        // From the start again: the oldest not confirmed.
        #expect(places(try store.attachmentReceiptsDue(from: dz, limit: 4)) == Array(finished[1..<5]))
        #expect(try store.attachmentReceiptsDue(from: tn, limit: 4) == [])
    }

    @Test("dropped chunks are gone and pulled again: the transfer goes on")
    func dropChunks() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        try deliver(
            received,
            attachments: [row(received.reference, number: 1, size: 200_000), row(received.reference, number: 2)],
            in: store)
        let reference = received.reference
        try store.recordChunks(
            [chunk(reference, 1, 0, [1]), chunk(reference, 1, 1, [2]), chunk(reference, 2, 0, [3])],
            at: Fixtures.time(2_000))

        try store.dropChunks(of: reference, number: 1, at: Fixtures.time(3_000))
        var rows = try store.attachments(of: reference)
        #expect(rows[0].state == .transfer && rows[0].chunksHeld == 0 && rows[0].updatedAt == Fixtures.time(3_000))
        #expect(try store.heldChunks(of: reference, number: 1) == [])
        #expect(try store.heldChunks(of: reference, number: 2) == [0], "another attachment's chunks stay")
        #expect(rows[1].chunksHeld == 1)
        try store.recordChunks([chunk(reference, 1, 0, [7])], at: Fixtures.time(4_000))
        rows = try store.attachments(of: reference)
        #expect(rows[0].chunksHeld == 1)
        #expect(try store.chunk(of: reference, number: 1, index: 0) == [7])
    }

    @Test("a delivery of a bulletin already stored keeps its attachment rows and chunks as they were")
    func redeliveryKeepsRows() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        let first = row(received.reference, number: 1, size: 200_000, sha: 0x01)
        try deliver(received, attachments: [first], in: store)
        try store.recordChunks([chunk(received.reference, 1, 0, [1])], at: Fixtures.time(2_000))
        let before = try store.attachments(of: received.reference)

        // The same bulletin again (another envelope), listing attachment 1 otherwise.
        try deliver(
            received, attachments: [row(received.reference, number: 1, size: 5, updatedAt: 9_000, sha: 0x02)],
            in: store, seed: "again")
        #expect(try store.attachments(of: received.reference) == before)
        #expect(try store.heldChunks(of: received.reference, number: 1) == [0])
        #expect(try store.chunk(of: received.reference, number: 1, index: 0) == [1])
    }

    /// A bulletin already stored is kept as it was (its body lists one attachment): a second
    /// delivery under its reference whose body lists more must not add rows the stored body
    /// does not describe, which the node would then pull and show.
    @Test("a delivery of a bulletin already stored adds no attachment its stored body does not list")
    func redeliveryAddsNoRows() throws {
        let store = try BulletinStore(path: path)
        let received = bulletin(1, origin: dz)
        try deliver(received, attachments: [row(received.reference, number: 1)], in: store)
        let before = try store.attachments(of: received.reference)
        try deliver(
            received,
            attachments: [row(received.reference, number: 1), row(received.reference, number: 2, size: 1 << 30)],
            in: store,
            seed: "again")
        #expect(try store.attachments(of: received.reference) == before)
        #expect(try store.attachmentsInTransfer(from: dz, limit: 10).count == 1)
    }
}
