import Audit
import AuditCollection
import Exchange
import Foundation
import Testing

/// The reconciliation of attachments per link (docs/AUDIT.md §12.3) on synthetic logs made of the
/// real audit events: the origin's `attachmentStored` of the bulletins its `envelopeSent` entries
/// put on a link, against the recipient's `attachmentReceived` and the origin's
/// `attachmentAcknowledged`.
@Suite("Link reconciliation: attachments")
struct AttachmentReconciliationTests {
    static let grace: UInt64 = 3_600_000
    /// Every time below is this many milliseconds after 2025-02-21 (times before 2013 would be
    /// implausible values, findings of their own).
    static let base: UInt64 = 1_740_100_000_000
    let maDZ: Link
    let maTN: Link
    let bulletin: BulletinID
    let other: BulletinID

    init() throws {
        maDZ = try link("MA", "DZ")
        maTN = try link("MA", "TN")
        bulletin = try BulletinID(ulid: "01JQ3M8K2Z9V4T6R5W7X8Y9A0B")
        other = try BulletinID(ulid: "01JQ3M8K2Z9V4T6R5W7X8Y9A0C")
    }

    /// Entries of `node`, numbered in order, its head at `coveredUntil` (times after ``base``).
    func log(_ node: String, coveredUntil: UInt64?, _ events: [(UInt64, AuditEvent)]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, item in
            try AuditEntry(
                index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: Self.base.addingSaturating(item.0)),
                state: state(node),
                event: item.1)
        }
        return NodeLogView(
            state: try state(node), entries: entries,
            coveredUntil: coveredUntil.map { Timestamp(millisecondsSinceEpoch: Self.base.addingSaturating($0)) })
    }

    func digest(_ byte: UInt8) throws -> AttachmentDigest {
        try AttachmentDigest(bytes: [UInt8](repeating: byte, count: 32))
    }

    /// MA posts `bulletin` to DZ only (sequence 1, acknowledged) with two files stored at 1 000.
    func origin(coveredUntil: UInt64 = 500_000, _ more: [(UInt64, AuditEvent)] = []) throws -> NodeLogView {
        try log(
            "MA", coveredUntil: coveredUntil,
            [
                (
                    1_000,
                    .bulletinPosted(
                        bulletin: bulletin, incidentType: "fuel-smuggling", tlp: .amber, recipients: [try state("DZ")])
                ),
                (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
                (1_000, .attachmentStored(bulletin: bulletin, number: 1, digest: try digest(0xA1), size: 1_048_576)),
                (1_000, .attachmentStored(bulletin: bulletin, number: 2, digest: try digest(0xA2), size: 2_000)),
                (1_200, .receiptReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
            ] + more)
    }

    /// DZ accepts envelope 1 of MA→DZ at 1 100, then `more`.
    func recipient(coveredUntil: UInt64?, _ more: [(UInt64, AuditEvent)] = []) throws -> NodeLogView {
        try log(
            "DZ", coveredUntil: coveredUntil,
            [(1_100, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted))] + more)
    }

    func report(_ logs: [NodeLogView], grace: UInt64 = Self.grace) throws -> AuditReport {
        AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [maDZ, maTN], logs: logs, nodes: [], nodeFindings: [],
            lateAfterMilliseconds: 60_000,
            attachmentGraceMilliseconds: grace, now: Timestamp(millisecondsSinceEpoch: Self.base + 10_000_000))
    }

    func attachments(_ report: AuditReport, _ name: String = "MA→DZ") throws -> AttachmentLinkReport {
        let link = try #require(report.links.first { $0.name == name })
        return try #require(link.attachments)
    }

    func file(_ number: UInt16, of id: BulletinID? = nil) -> AttachmentLinkReport.File {
        AttachmentLinkReport.File(bulletin: "MA-\((id ?? bulletin).description)", number: number)
    }

    func attachmentFindings(_ report: AuditReport) -> [ReportFinding] {
        report.findings.filter { $0.kind.rawValue.hasPrefix("attachment") }
    }

    @Test("every file received, held and acknowledged with the stored hash and size: complete, green, no finding")
    func allMatched() throws {
        let ma = try origin([
            (
                5_000,
                .attachmentAcknowledged(link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), held: true)
            ),
            (
                5_100,
                .attachmentAcknowledged(link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xA2), held: true)
            ),
        ])
        let dz = try recipient(
            coveredUntil: 500_000,
            [
                (
                    4_000,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), size: 1_048_576, held: true
                    )
                ),
                (
                    4_100,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xA2), size: 2_000, held: true)
                ),
            ])
        let report = try report([ma, dz])
        let files = try attachments(report)
        #expect(files.files == 2 && files.received == 2 && files.acknowledged == 2 && files.complete == 2)
        #expect(
            files.inTransfer.isEmpty && files.overdue.isEmpty && files.refused.isEmpty && files.unacknowledged.isEmpty)
        #expect(files.mismatchCount == 0 && files.neverStored.isEmpty && files.acknowledgedNeverReceived.isEmpty)
        #expect(report.links.first { $0.name == "MA→DZ" }?.health == .green)
        #expect(report.findings.isEmpty, "\(report.findings)")
        // The bulletin went to DZ only (its envelopeSent entries say so): MA→TN carries no file.
        #expect(report.links.first { $0.name == "MA→TN" }?.attachments == nil)
        #expect(report.attachmentGraceMilliseconds == Self.grace)
    }

    @Test("files not received within the grace period are in transfer: counted, no finding, the link stays green")
    func inTransferWithinGrace() throws {
        // DZ's head is one millisecond short of the grace period after the files were stored.
        let report = try report([try origin(), try recipient(coveredUntil: 1_000 + Self.grace - 1)])
        let files = try attachments(report)
        #expect(files.files == 2 && files.received == 0 && files.complete == 0)
        #expect(files.inTransfer == .init(count: 2, listed: [file(1), file(2)]))
        #expect(files.overdue.isEmpty)
        #expect(attachmentFindings(report).isEmpty, "\(report.findings)")
        #expect(report.links.first { $0.name == "MA→DZ" }?.health == .green)

        // A recipient never collected: in transfer too, whatever the time.
        let uncollected = try attachments(try self.report([try origin(), try recipient(coveredUntil: nil)]))
        #expect(uncollected.inTransfer.count == 2 && uncollected.overdue.isEmpty)
    }

    @Test("files not received once the grace period has passed at the recipient's head are overdue: a warning, amber")
    func overduePastGrace() throws {
        let report = try report([try origin(), try recipient(coveredUntil: 1_000 + Self.grace)])
        let files = try attachments(report)
        #expect(files.overdue == .init(count: 2, listed: [file(1), file(2)]) && files.inTransfer.isEmpty)
        let findings = attachmentFindings(report)
        #expect(findings.count == 1)
        #expect(
            findings.first?.kind == .attachmentOverdue && findings.first?.severity == .warning
                && findings.first?.subject == "MA→DZ")
        #expect(
            findings.first?.text.contains("overdue: 2 attachments stored more than 60 min before DZ's collected head")
                == true)
        #expect(findings.first?.text.contains("MA-\(bulletin)#1, MA-\(bulletin)#2") == true)
        #expect(report.links.first { $0.name == "MA→DZ" }?.health == .amber)

        // The grace period is the report's: a longer one leaves the same files in transfer.
        let patient = try attachments(
            try self.report([try origin(), try recipient(coveredUntil: 1_000 + Self.grace)], grace: Self.grace + 1))
        #expect(patient.overdue.isEmpty && patient.inTransfer.count == 2)
    }

    @Test("another SHA-256 or size at the recipient, or in the receipt: critical mismatches, red, not complete")
    func hashMismatch() throws {
        let ma = try origin([
            (
                5_000,
                .attachmentAcknowledged(link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), held: true)
            ),
            (
                5_100,
                .attachmentAcknowledged(link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xEE), held: true)
            ),
        ])
        let dz = try recipient(
            coveredUntil: 500_000,
            [
                (
                    4_000,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xB1), size: 1_048_575, held: true
                    )
                ),
                (
                    4_100,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xA2), size: 2_000, held: true)
                ),
            ])
        let report = try report([ma, dz])
        let files = try attachments(report)
        #expect(files.received == 2 && files.acknowledged == 2 && files.complete == 0)
        #expect(
            files.mismatches == [
                .init(
                    file: file(1), field: "sha256", expected: "\(try digest(0xA1))", other: "\(try digest(0xB1))",
                    seenIn: "received"),
                .init(file: file(1), field: "size", expected: "1048576", other: "1048575", seenIn: "received"),
                .init(
                    file: file(2), field: "sha256", expected: "\(try digest(0xA2))", other: "\(try digest(0xEE))",
                    seenIn: "receipt"),
            ])
        #expect(files.mismatchCount == 3 && files.hasDiscrepancy)
        let findings = attachmentFindings(report)
        #expect(
            findings.count == 3 && findings.allSatisfy { $0.kind == .attachmentMismatch && $0.severity == .critical })
        #expect(
            findings.first?.text
                == "attachment MA-\(bulletin)#1 sha256 mismatch: stored \(try digest(0xA1)), received \(try digest(0xB1))"
        )
        #expect(
            findings.last?.text
                == "attachment MA-\(bulletin)#2 sha256 mismatch: stored \(try digest(0xA2)), receipt at MA \(try digest(0xEE))"
        )
        #expect(report.links.first { $0.name == "MA→DZ" }?.health == .red)
    }

    @Test("held at the recipient, refused in its receipt: a critical mismatch of the outcome")
    func outcomeMismatch() throws {
        let ma = try origin([
            (
                5_000,
                .attachmentAcknowledged(
                    link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), held: false)
            )
        ])
        let dz = try recipient(
            coveredUntil: 500_000,
            [
                (
                    4_000,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), size: 1_048_576, held: true
                    )
                )
            ])
        let files = try attachments(try report([ma, dz]))
        #expect(
            files.mismatches == [
                .init(file: file(1), field: "held", expected: "held", other: "refused", seenIn: "receipt")
            ])
        #expect(files.complete == 0 && files.refused.isEmpty)
    }

    @Test(
        "acknowledged at the origin but absent from the recipient's log, whose head is later by more than the clocks' margin (60 s): critical; earlier: no finding"
    )
    func acknowledgedWithoutReceived() throws {
        let ma = try origin([
            (
                5_000,
                .attachmentAcknowledged(link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), held: true)
            )
        ])
        let covered = try report([ma, try recipient(coveredUntil: 65_000)])
        let files = try attachments(covered)
        #expect(files.acknowledgedNeverReceived == .init(count: 1, listed: [file(1)]))
        #expect(files.acknowledged == 1 && files.received == 0 && files.complete == 0)
        let finding = try #require(attachmentFindings(covered).first { $0.kind == .attachmentNotReceived })
        #expect(
            finding.severity == .critical
                && finding.text.contains(
                    "1 attachments acknowledged at MA but not in DZ's log although its head is later")
        )
        #expect(covered.links.first { $0.name == "MA→DZ" }?.health == .red)

        // DZ's head is not a minute later than the receipt (two states' clocks): its arrival may be
        // after it. Nothing to say yet.
        let notYet = try report([ma, try recipient(coveredUntil: 64_999)])
        #expect(try self.attachments(notYet).acknowledgedNeverReceived.isEmpty)
        #expect(!attachmentFindings(notYet).contains { $0.kind == .attachmentNotReceived })
    }

    @Test(
        "a file received that the origin never stored, or of a bulletin never sent on the link: critical once the origin's head is later"
    )
    func receivedUnknownFile() throws {
        let arrivals: [(UInt64, AuditEvent)] = [
            (
                4_000,
                .attachmentReceived(
                    link: maDZ, bulletin: bulletin, number: 3, digest: try digest(0xA3), size: 10, held: true)
            ),
            (
                4_100,
                .attachmentReceived(
                    link: maDZ, bulletin: other, number: 1, digest: try digest(0xC1), size: 10, held: true)
            ),
        ]
        // TN received a file of the bulletin, which MA sent to DZ only.
        let tn = try log(
            "TN", coveredUntil: 500_000,
            [
                (
                    4_200,
                    .attachmentReceived(
                        link: maTN, bulletin: bulletin, number: 1, digest: try digest(0xA1), size: 1_048_576, held: true
                    )
                )
            ])
        let report = try report([try origin(), try recipient(coveredUntil: 500_000, arrivals), tn])
        let files = try attachments(report)
        #expect(files.neverStored == .init(count: 2, listed: [file(3), file(1, of: other)]))
        #expect(files.files == 2 && files.received == 0)
        let atTN = try self.attachments(report, "MA→TN")
        #expect(atTN.files == 0 && atTN.neverStored == .init(count: 1, listed: [file(1)]))
        let findings = attachmentFindings(report).filter { $0.kind == .attachmentNeverStored }
        #expect(findings.map(\.subject) == ["MA→DZ", "MA→TN"] && findings.allSatisfy { $0.severity == .critical })
        #expect(
            findings.first?.text.contains(
                "2 attachments received by DZ or acknowledged by MA that MA's log does not record as stored") == true)
        #expect(report.links.filter { $0.attachments?.neverStored.isEmpty == false }.allSatisfy { $0.health == .red })

        // MA's head is older than the arrivals: its log cannot say yet.
        let early = try self.report([try origin(coveredUntil: 3_999), try recipient(coveredUntil: 500_000, arrivals)])
        #expect(try self.attachments(early).neverStored.isEmpty)

        // A receipt at MA for a file MA never stored: MA contradicts itself, whatever the heads.
        let selfContradiction = try self.report([
            try origin(
                coveredUntil: 3_000,
                [
                    (
                        2_000,
                        .attachmentAcknowledged(
                            link: maDZ, bulletin: bulletin, number: 9, digest: try digest(0xA9), held: true)
                    )
                ]),
            try recipient(coveredUntil: 1_500),
        ])
        #expect(try self.attachments(selfContradiction).neverStored == .init(count: 1, listed: [file(9)]))
    }

    @Test("refused by the recipient (its log and its receipt), and held without a receipt yet: warnings, amber")
    func refusedAndUnacknowledged() throws {
        let ma = try origin([
            (
                5_000,
                .attachmentAcknowledged(
                    link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xA2), held: false)
            )
        ])
        let dz = try recipient(
            coveredUntil: 500_000,
            [
                (
                    4_000,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 1, digest: try digest(0xA1), size: 1_048_576, held: true
                    )
                ),
                (
                    4_100,
                    .attachmentReceived(
                        link: maDZ, bulletin: bulletin, number: 2, digest: try digest(0xA2), size: 2_000, held: false)
                ),
            ])
        let report = try report([ma, dz])
        let files = try attachments(report)
        #expect(
            files.unacknowledged == .init(count: 1, listed: [file(1)])
                && files.refused == .init(count: 1, listed: [file(2)]))
        #expect(files.received == 1 && files.acknowledged == 0 && files.mismatchCount == 0)
        #expect(Set(attachmentFindings(report).map(\.kind)) == [.attachmentRefused, .attachmentUnacknowledged])
        #expect(attachmentFindings(report).allSatisfy { $0.severity == .warning })
        #expect(report.links.first { $0.name == "MA→DZ" }?.health == .amber)
    }

    @Test("a hostile log's thousands of files: exact counts, at most 100 listed, in the text, HTML and JSON reports")
    func boundedLists() throws {
        let many = try (1...1_500).map { number in
            (
                UInt64(1_000),
                AuditEvent.attachmentStored(
                    bulletin: bulletin, number: UInt16(number), digest: try digest(0xA0), size: UInt64.max)
            )
        }
        let report = try report([try origin(many), try recipient(coveredUntil: UInt64.max)], grace: UInt64.max)
        let files = try attachments(report)
        // Numbers 1 and 2 are stored twice: the first statement counts.
        #expect(
            files.files == 1_500 && files.overdue.count == 1_500
                && files.overdue.listed.count == AttachmentLinkReport.FileList.listedAtMost)
        #expect(files.overdue.listed.first == file(1) && files.overdue.listed.last == file(100))
        #expect(report.text.contains("Attachments (files of the bulletins sent on each link"))
        #expect(report.text.contains("… (1500)"))
        #expect(report.html.contains("<h2>Attachments (hashes and sizes only, never content"))
        let decoded = try JSONDecoder().decode(AuditReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.links == report.links && decoded.findings == report.findings)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""kind":"attachmentOverdue""#) && json.contains(#""overdue":{"#))
    }

    @Test(
        "500 random regions of attachment statements with extreme values: no trap, and the counts stay within what they count"
    )
    func randomRegions() throws {
        var generator = SeededGenerator(seed: 0x21_0059)
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        let extremes: [UInt64] = [0, 1, 2_000, 1 << 32, 1 << 63, UInt64.max]
        let states = ["MA", "DZ", "TN"]
        let bulletins = [bulletin, other]
        for iteration in 0..<500 {
            var logs: [NodeLogView] = []
            for node in states where int(0...4) > 0 {
                var events: [(UInt64, AuditEvent)] = []
                for _ in 0..<int(0...20) {
                    let peer = try state(states[int(0...2)])
                    let me = try state(node)
                    let link = int(0...2) > 0 ? Link(origin: me, recipient: peer) : Link(origin: peer, recipient: me)
                    let id = bulletins[int(0...1)]
                    let number = UInt16(int(1...3))
                    let digest = try digest(UInt8(int(0...2)))
                    let size = extremes[int(0...5)]
                    let time = int(0...3) == 0 ? extremes[int(0...5)] : UInt64(int(0...8_000_000))
                    let event: AuditEvent
                    switch int(0...4) {
                    case 0:
                        event = .envelopeSent(link: link, sequence: UInt64(int(1...3)), hash: try hash(1), bulletin: id)
                    case 1: event = .attachmentStored(bulletin: id, number: number, digest: digest, size: size)
                    case 2:
                        event = .attachmentReceived(
                            link: link, bulletin: id, number: number, digest: digest, size: size, held: int(0...3) > 0)
                    default:
                        event = .attachmentAcknowledged(
                            link: link, bulletin: id, number: number, digest: digest, held: int(0...3) > 0)
                    }
                    events.append((time, event))
                }
                let covered: UInt64? =
                    int(0...4) == 0 ? nil : (int(0...3) == 0 ? extremes[int(0...5)] : UInt64(int(0...8_000_000)))
                logs.append(try log(node, coveredUntil: covered, events))
            }
            let grace = int(0...3) == 0 ? extremes[int(0...5)] : Self.grace
            let report = try report(logs, grace: grace)
            for link in report.links {
                guard let files = link.attachments else { continue }
                #expect(
                    files.received <= files.files && files.acknowledged <= files.files,
                    "iteration \(iteration) \(link.name)")
                #expect(
                    files.complete <= min(files.received, files.acknowledged), "iteration \(iteration) \(link.name)")
                #expect(
                    files.inTransfer.count + files.overdue.count <= files.files, "iteration \(iteration) \(link.name)")
                for list in [
                    files.inTransfer, files.overdue, files.refused, files.unacknowledged, files.neverStored,
                    files.acknowledgedNeverReceived,
                ] {
                    #expect(
                        UInt64(list.listed.count) <= list.count
                            && list.listed.count <= AttachmentLinkReport.FileList.listedAtMost)
                }
                if files.hasDiscrepancy { #expect(link.health == .red, "iteration \(iteration) \(link.name)") }
                if files.needsWatching { #expect(link.health >= .amber, "iteration \(iteration) \(link.name)") }
            }
            #expect(report.text.contains("BorderNet audit report") && report.html.hasSuffix("</body></html>\n"))
            #expect(
                try JSONDecoder().decode(AuditReport.self, from: JSONEncoder().encode(report)).links == report.links)
        }
    }

    @Test("a report of an earlier version, without attachments, still decodes")
    func earlierReport() throws {
        let report = try report([try origin(), try recipient(coveredUntil: 2_000)])
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        object["attachmentGraceMilliseconds"] = nil
        let links = try #require(object["links"] as? [[String: Any]])
        object["links"] = links.map { link in link.filter { $0.key != "attachments" } }
        let decoded = try JSONDecoder().decode(
            AuditReport.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded.attachmentGraceMilliseconds == nil && decoded.links.allSatisfy { $0.attachments == nil })
    }
}
