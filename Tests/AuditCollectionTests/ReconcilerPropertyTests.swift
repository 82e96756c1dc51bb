import Audit
import AuditCollection
import Exchange
import Foundation
import Testing

/// Issue 13, defect 1: no value a node's log can hold makes the reconciler or the report trap, and
/// every implausible value is named by a finding. A bounded, seeded generator loop (no property
/// testing library): 2,000 random regions of 1–4 logs, drawn from extreme and contradictory values
/// — 0, 1, 2^48, 2^63, 2^64−1, inverted ranges, huge times, sequences duplicated with other
/// hashes, receipts before sends or for envelopes never sent — fed to the entry codecs, the
/// reconciler, the plausibility check and the three renderers. An independent oracle, written
/// from the rules of docs/AUDIT.md §12.3, says which (node, entry, what) must be found.
@Suite("Reconciler and report under extreme values")
struct ReconcilerPropertyTests {
    static let now = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)
    static let iterations = 2_000

    static let extremes: [UInt64] = [0, 1, 2, 3, 1 << 32, 1 << 48, (1 << 48) + 1, 1 << 63, UInt64.max - 1, UInt64.max]
    static let times: [UInt64] = [
        0, 1, 1_356_998_399_999, 1_356_998_400_000, now.millisecondsSinceEpoch - 5_000, now.millisecondsSinceEpoch,
        now.millisecondsSinceEpoch + 86_400_000, now.millisecondsSinceEpoch + 86_400_001, 253_402_300_800_000, 1 << 63, UInt64.max,
    ]
    static let states = ["MA", "DZ", "TN"]

    /// What the oracle expects to be found: node, entry, what.
    struct Expected: Hashable, CustomStringConvertible {
        let state: String
        let index: UInt64?
        let what: ImplausibleValue.What
        var description: String { "\(state) #\(index.map(String.init) ?? "head") \(what.rawValue)" }
    }

    struct Draw {
        var generator: SeededGenerator

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
        mutating func sequence() -> UInt64 { chance(60) ? UInt64(int(1...6)) : pick(ReconcilerPropertyTests.extremes) }
        mutating func time() -> UInt64 {
            chance(50) ? ReconcilerPropertyTests.now.millisecondsSinceEpoch - UInt64(int(0...600_000)) : pick(ReconcilerPropertyTests.times)
        }
        mutating func state() throws -> StateCode { try StateCode(pick(ReconcilerPropertyTests.states)) }
        mutating func hash() throws -> EnvelopeHash { try EnvelopeHash(bytes: [UInt8](repeating: UInt8(int(0...3)), count: 32)) }
    }

    /// One random event (some of which cannot exist: the entry's constructor must then refuse them).
    static func event(_ draw: inout Draw, node: StateCode) throws -> AuditEvent {
        let other = try draw.state()
        let link = draw.chance(70) ? Link(origin: node, recipient: other) : Link(origin: other, recipient: node)
        let status: ReceiptStatus = draw.chance(80) ? .accepted : .rejected(draw.pick([RejectionReason.badSignature, .gap, .conflict, .invalidBulletin]))
        switch draw.int(0...9) {
        case 0: return .envelopeSent(link: link, sequence: draw.sequence(), hash: try draw.hash(), bulletin: BulletinID.generate())
        case 1: return .envelopeReceived(link: link, sequence: draw.sequence(), hash: try draw.hash(), status: status)
        case 2: return .receiptSent(link: link, sequence: draw.sequence(), hash: try draw.hash(), status: status)
        case 3: return .receiptReceived(link: link, sequence: draw.sequence(), hash: try draw.hash(), status: status)
        case 4:
            return .envelopeUnreadable(
                peer: other, byteCount: draw.chance(50) ? UInt64(draw.int(0...1_000)) : draw.pick(extremes), hash: try draw.hash(),
                reason: draw.pick([RejectionReason.oversized, .truncated, .malformed]))
        case 5, 6:
            let (a, b) = (draw.sequence(), draw.sequence())
            let range = min(a, b)...max(a, b)
            return draw.chance(50) ? .replayRequested(link: link, sequences: range) : .replayServed(link: link, sequences: range)
        case 7:
            guard draw.chance(50) else { return .rosterInstalled(version: draw.pick(extremes)) }
            return .rosterRefused(source: draw.chance(30) ? nil : other, version: draw.pick(extremes), reason: draw.pick(RosterRefusal.allCases))
        case 8: return .nodeStarted(softwareVersion: "0.13.0")
        default: return .nodeStopped
        }
    }

    /// The oracle: what docs/AUDIT.md §12.3 says must be found in `logs`, written independently of
    /// ``Plausibility`` (per entry: time, sequence, replay range, byte count; per origin: the same
    /// sequence sent twice with other hashes, receipts for unsent envelopes, receipts before sends).
    static func expected(_ logs: [NodeLogView]) -> Set<Expected> {
        var found: Set<Expected> = []
        let limit: UInt64 = 1 << 48
        for log in logs {
            let node = log.state.description
            if let covered = log.coveredUntil, covered.millisecondsSinceEpoch < 1_356_998_400_000 || covered.millisecondsSinceEpoch > now.millisecondsSinceEpoch + 86_400_000 {
                found.insert(Expected(state: node, index: nil, what: .headTimestamp))
            }
            var sent: [Link: [UInt64: (hash: EnvelopeHash, time: UInt64)]] = [:]
            var accepted: [Link: [UInt64: EnvelopeHash]] = [:]
            var receipts: [(Link, UInt64, UInt64, UInt64)] = []
            for entry in log.entries {
                let time = entry.time.millisecondsSinceEpoch
                if time < 1_356_998_400_000 || time > now.millisecondsSinceEpoch + 86_400_000 {
                    found.insert(Expected(state: node, index: entry.index, what: .time))
                }
                switch entry.event {
                case .envelopeSent(let link, let sequence, let hash, _):
                    if sequence > limit { found.insert(Expected(state: node, index: entry.index, what: .sequence)) }
                    if link.origin == log.state {
                        if let first = sent[link]?[sequence] {
                            if first.hash != hash { found.insert(Expected(state: node, index: entry.index, what: .duplicateSequence)) }
                        } else {
                            sent[link, default: [:]][sequence] = (hash, time)
                        }
                    }
                case .envelopeReceived(let link, let sequence, let hash, let status):
                    if sequence > limit { found.insert(Expected(state: node, index: entry.index, what: .sequence)) }
                    if status == .accepted && link.recipient == log.state {
                        if let first = accepted[link]?[sequence] {
                            if first != hash { found.insert(Expected(state: node, index: entry.index, what: .duplicateSequence)) }
                        } else {
                            accepted[link, default: [:]][sequence] = hash
                        }
                    }
                case .receiptSent(_, let sequence, _, _):
                    if sequence > limit { found.insert(Expected(state: node, index: entry.index, what: .sequence)) }
                case .receiptReceived(let link, let sequence, _, let status):
                    if sequence > limit { found.insert(Expected(state: node, index: entry.index, what: .sequence)) }
                    if status == .accepted && link.origin == log.state { receipts.append((link, sequence, entry.index, time)) }
                case .envelopeUnreadable(_, let byteCount, _, _):
                    if byteCount > 1 << 32 { found.insert(Expected(state: node, index: entry.index, what: .byteCount)) }
                case .replayRequested(_, let range), .replayServed(_, let range):
                    if range.upperBound > limit { found.insert(Expected(state: node, index: entry.index, what: .replayRange)) }
                default:
                    break
                }
            }
            for (link, sequence, index, time) in receipts {
                if let send = sent[link]?[sequence] {
                    let (late, overflow) = time.addingReportingOverflow(60_000)
                    if !overflow && late < send.time { found.insert(Expected(state: node, index: index, what: .receiptBeforeSend)) }
                } else {
                    found.insert(Expected(state: node, index: index, what: .acknowledgedBeyondSent))
                }
            }
        }
        return found
    }

    @Test("2,000 random regions of extreme and contradictory values: no trap, and every implausible value is a finding")
    func randomRegions() throws {
        var draw = Draw(generator: SeededGenerator(seed: 0x13_0001))
        var refusedByCodec = 0
        var findingsSeen = 0
        let encoder = JSONEncoder()
        for iteration in 0..<Self.iterations {
            var logs: [NodeLogView] = []
            var taken: Set<String> = []
            for _ in 0..<draw.int(1...4) {
                let node = try draw.state()
                guard taken.insert(node.description).inserted else { continue }
                var entries: [AuditEntry] = []
                for _ in 0..<draw.int(0...14) {
                    let index = draw.chance(95) ? UInt64(entries.count) : draw.pick(Self.extremes)
                    let event = try Self.event(&draw, node: node)
                    // Contradictions on purpose: the same sequence sent again with another hash, a receipt before its send.
                    var batch = [event]
                    if case .envelopeSent(let link, let sequence, _, let bulletin) = event, draw.chance(30) {
                        batch.append(.envelopeSent(link: link, sequence: sequence, hash: try draw.hash(), bulletin: bulletin))
                    }
                    if case .envelopeSent(let link, let sequence, let hash, _) = event, draw.chance(40) {
                        batch.insert(.receiptReceived(link: link, sequence: sequence, hash: hash, status: .accepted), at: 0)
                    }
                    for item in batch {
                        let time = Timestamp(millisecondsSinceEpoch: draw.time())
                        let entry: AuditEntry
                        do {
                            entry = try AuditEntry(index: index, time: time, state: node, event: item)
                        } catch {
                            refusedByCodec += 1  // sequence 0, a range from 0: refused as a format error, never a trap
                            continue
                        }
                        // The codecs: bytes and JSON round trips, on whatever the entry holds.
                        #expect(try AuditEntry(canonicalBytes: entry.canonicalBytes) == entry)
                        #expect(try JSONDecoder().decode(AuditEntry.self, from: encoder.encode(entry)) == entry)
                        entries.append(entry)
                    }
                }
                let covered: Timestamp? = draw.chance(20) ? nil : Timestamp(millisecondsSinceEpoch: draw.time())
                logs.append(NodeLogView(state: node, entries: entries, coveredUntil: covered))
            }
            let rosterLinks = try [link("MA", "DZ"), link("DZ", "MA"), link("DZ", "TN"), link("TN", "DZ")]
            let late = draw.chance(80) ? 60_000 : draw.pick(Self.extremes)
            let report = AuditReport.assemble(
                rosterVersion: UInt64(iteration), rosterLinks: rosterLinks, logs: logs, nodes: [], nodeFindings: [], lateAfterMilliseconds: late,
                now: Self.now)

            // Every implausible value the oracle knows of is in the report, as a value and as a finding.
            let found = Set(report.implausibleValues.map { Expected(state: $0.state.description, index: $0.entryIndex, what: $0.what) })
            let expected = Self.expected(logs)
            let missed = expected.subtracting(found)
            #expect(missed.isEmpty, "iteration \(iteration): not found \(missed.sorted { $0.description < $1.description })")
            for value in report.implausibleValues where value.what != .replayBeyondSent {
                #expect(expected.contains(Expected(state: value.state.description, index: value.entryIndex, what: value.what)), "iteration \(iteration): unexpected \(value)")
            }
            let named = report.findings.filter { $0.kind == .implausibleValue }
            for value in report.implausibleValues.prefix(AuditReport.implausibleFindingsPerNode) where value.state == report.implausibleValues.first?.state {
                #expect(named.contains { $0.subject == value.state.description && $0.entryIndex == value.entryIndex && $0.text.contains(value.detail) })
            }
            findingsSeen += named.count

            // The links' arithmetic stayed within what it counts.
            for link in report.links {
                #expect(link.acknowledged <= link.sent && link.missingAtRecipient.count + link.pending.count <= link.sent)
            }

            // The three renderers, on every report.
            #expect(report.text.contains("BorderNet audit report"))
            #expect(report.html.hasSuffix("</body></html>\n"))
            let decoded = try JSONDecoder().decode(AuditReport.self, from: encoder.encode(report))
            #expect(decoded.implausibleValues == report.implausibleValues)
            #expect(decoded.rosterHistory == report.rosterHistory)
            if !report.implausibleValues.isEmpty {
                #expect(report.text.contains("implausible value") && report.html.contains("Implausible values ("))
            }
        }
        #expect(refusedByCodec > 0 && findingsSeen > 1_000, "the generator must reach both the codec's refusals and the findings")
    }

    @Test("inverted and zero-based ranges never reach a ClosedRange: the decoder refuses them (bytes and JSON)")
    func invertedRanges() throws {
        let entry = try AuditEntry(
            index: 3, time: Self.now, state: state("DZ"), event: .replayRequested(link: link("MA", "DZ"), sequences: 5...9))
        var draw = Draw(generator: SeededGenerator(seed: 99))
        for _ in 0..<500 {
            let first = draw.pick(Self.extremes + [5, 9])
            let last = draw.pick(Self.extremes + [5, 9])
            var bytes = entry.canonicalBytes
            bytes.replaceSubrange(28..<36, with: (0..<8).reversed().map { UInt8(truncatingIfNeeded: first >> (UInt64($0) * 8)) })
            bytes.replaceSubrange(36..<44, with: (0..<8).reversed().map { UInt8(truncatingIfNeeded: last >> (UInt64($0) * 8)) })
            let json = Data(
                #"{"index":3,"time":1,"state":"DZ","event":{"kind":"replayRequested","link":{"origin":"MA","recipient":"DZ"},"first":\#(first),"last":\#(last)}}"#.utf8)
            if first >= 1 && first <= last {
                #expect(try AuditEntry(canonicalBytes: bytes).event == .replayRequested(link: link("MA", "DZ"), sequences: first...last))
                #expect(try JSONDecoder().decode(AuditEntry.self, from: json).event.kind == .replayRequested)
            } else {
                #expect(throws: FormatError.self) { try AuditEntry(canonicalBytes: bytes) }
                #expect(throws: DecodingError.self) { try JSONDecoder().decode(AuditEntry.self, from: json) }
            }
        }
    }

    @Test("an honest region has no implausible value")
    func honestRegion() throws {
        let maDZ = try link("MA", "DZ")
        let t = Self.now.millisecondsSinceEpoch - 120_000
        let ma = NodeLogView(
            state: try state("MA"),
            entries: [
                try AuditEntry(index: 0, time: Timestamp(millisecondsSinceEpoch: t), state: state("MA"), event: .envelopeSent(link: maDZ, sequence: 1, hash: hash(1), bulletin: BulletinID.generate())),
                try AuditEntry(index: 1, time: Timestamp(millisecondsSinceEpoch: t + 100), state: state("MA"), event: .receiptReceived(link: maDZ, sequence: 1, hash: hash(1), status: .accepted)),
            ], coveredUntil: Self.now)
        let dz = NodeLogView(
            state: try state("DZ"),
            entries: [
                try AuditEntry(index: 0, time: Timestamp(millisecondsSinceEpoch: t + 50), state: state("DZ"), event: .replayRequested(link: maDZ, sequences: 1...1)),
                try AuditEntry(index: 1, time: Timestamp(millisecondsSinceEpoch: t + 60), state: state("DZ"), event: .replayRequested(link: maDZ, sequences: 2...2)),
                try AuditEntry(index: 2, time: Timestamp(millisecondsSinceEpoch: t + 70), state: state("DZ"), event: .envelopeReceived(link: maDZ, sequence: 1, hash: hash(1), status: .accepted)),
            ], coveredUntil: Self.now)
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [maDZ], logs: [ma, dz], nodes: [], nodeFindings: [], lateAfterMilliseconds: 60_000, now: Self.now)
        #expect(report.implausibleValues.isEmpty, "\(report.implausibleValues)")
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.links.first?.health == .green)
    }
}
