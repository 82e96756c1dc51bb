import Exchange

/// One request of an agency system to the console's TAXII server, as the audit log records it
/// (docs/AUDIT.md §3.3, kind 52): which agency credential, whether it was served, and which
/// bulletins the response delivered. Metadata only: never the agency's name or token, an address,
/// a query or a bulletin's content.
///
/// The agency is the credential's number in the console (`bordernet console agency list`), never
/// reused: a pseudonym that the node's operators resolve, as they resolve console accounts.
public struct AgencyAccess: Hashable, Sendable {
    /// The agency credential (its number, ≥ 1), or 0 when the request carried no token that names
    /// one (missing, malformed, unknown, expired or revoked).
    public let agency: UInt64
    /// How the request ended.
    public let outcome: Outcome
    /// The bulletins the response delivered, in ascending order, without repetition: at most
    /// ``maximumBulletins``, none for a refusal. A delivery of none (a poll that found nothing
    /// new) is an access all the same.
    public let bulletins: [BulletinReference]

    /// How an agency's request ended, one byte in the entry.
    public enum Outcome: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// Served: the response delivered ``AgencyAccess/bulletins`` (perhaps none).
        case delivered = 0
        /// Refused: no valid token (agency 0), or a known agency refused what it asked (a
        /// collection or object it may not read); nothing delivered.
        case refused = 1

        /// The name in JSON (`delivered`).
        public var description: String {
            switch self {
            case .delivered: "delivered"
            case .refused: "refused"
            }
        }

        /// The outcome named `name`.
        public init?(name: String) {
            guard let outcome = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = outcome
        }
    }

    /// The most bulletins one entry names: the TAXII server's page (docs/TAXII.md) is at most
    /// this many, and 100 references keep the entry at 1,834 bytes, within the 2,048 that
    /// secretariats of earlier versions keep unread (docs/AUDIT.md §11).
    public static let maximumBulletins = 100

    /// An access; ``validate()`` checks that its fields go together (``AuditEntry`` calls it).
    /// `bulletins` is kept as given: sort it (``init(agency:delivered:)`` does).
    public init(agency: UInt64, outcome: Outcome, bulletins: [BulletinReference] = []) {
        self.agency = agency
        self.outcome = outcome
        self.bulletins = bulletins
    }

    /// A delivery of `bulletins` to `agency`, sorted and without repetition.
    public init(agency: UInt64, delivered bulletins: some Sequence<BulletinReference>) {
        self.init(agency: agency, outcome: .delivered, bulletins: Array(Set(bulletins)).sorted())
    }

    /// The rules the encoding and the report rely on: an agency in 0…2^53−1, 0 only for a
    /// refusal; at most ``maximumBulletins`` bulletins, strictly ascending, none for a refusal.
    public func validate() throws(FormatError) {
        guard agency <= ConsoleAccess.maximumAccount else {
            throw FormatError.invalidField(field: "agency", reason: "\(agency) is above 2^53 − 1")
        }
        guard agency != 0 || outcome == .refused else {
            throw FormatError.invalidField(field: "agency", reason: "agency 0 (no valid token) is only ever refused")
        }
        guard bulletins.count <= Self.maximumBulletins else {
            throw FormatError.invalidField(
                field: "bulletins", reason: "\(bulletins.count) bulletins, more than the \(Self.maximumBulletins) of one response")
        }
        guard outcome == .delivered || bulletins.isEmpty else {
            throw FormatError.invalidField(field: "bulletins", reason: "a refused request delivered no bulletin")
        }
        for (earlier, later) in zip(bulletins, bulletins.dropFirst()) where !(earlier < later) {
            throw FormatError.invalidField(
                field: "bulletins", reason: "not in strictly ascending order (\(earlier), \(later))")
        }
    }
}

extension AgencyAccess {
    /// agency `u64` ‖ outcome `u8` ‖ count `u8` ‖ per bulletin: origin `[2]` ‖ bulletin id `[16]`.
    func write(to writer: inout ByteWriter) {
        writer.write(agency)
        writer.write(outcome.rawValue)
        writer.write(UInt8(clamping: bulletins.count))
        for bulletin in bulletins {
            writer.write(state: bulletin.origin)
            writer.write(raw: bulletin.id.bytes)
        }
    }

    /// Reads the fields, refusing an unknown outcome and a count above ``maximumBulletins``
    /// before reading the references; the caller validates the rest.
    init(reading reader: inout ByteReader) throws(FormatError) {
        let agency = try reader.readUInt64(field: "agency")
        let code = try reader.readUInt8(field: "agency outcome")
        guard let outcome = Outcome(rawValue: code) else {
            throw FormatError.invalidField(field: "agency outcome", reason: "code \(code) is not a known outcome")
        }
        let count = Int(try reader.readUInt8(field: "bulletin count"))
        guard count <= Self.maximumBulletins else {
            throw FormatError.invalidField(field: "bulletin count", reason: "\(count) is more than \(Self.maximumBulletins)")
        }
        var bulletins: [BulletinReference] = []
        bulletins.reserveCapacity(count)
        for _ in 0..<count {
            let origin = try reader.readState(field: "bulletin origin")
            bulletins.append(BulletinReference(origin: origin, id: try reader.readBulletinID(field: "bulletin id")))
        }
        self.init(agency: agency, outcome: outcome, bulletins: bulletins)
    }
}
