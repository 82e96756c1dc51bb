/// One request of an agency system to the console's TAXII server, as the console reports it to
/// its node (`recordAccess`, member `agencyAccesses`): the agency credential's number (0 when the
/// request carried no valid token), whether it was served, and the references of the bulletins
/// the response delivered. The node checks every member strictly before the audit log sees it
/// (docs/AUDIT.md §3.3, kind `agencyAccess`).
///
/// JSON: `{"agency": 3, "outcome": "delivered", "bulletins": ["MA-01JQ…", …]}`.
public struct AgencyAccessRecord: Codable, Sendable, Equatable {
    /// How the request ended.
    public enum Outcome: String, Codable, Sendable {
        /// Served; `bulletins` are what the response delivered (perhaps none).
        case delivered
        /// Refused (no valid token, or something the agency may not read); nothing delivered.
        case refused
    }

    /// The agency credential's number (≥ 1), or 0 when the token named none (missing, malformed,
    /// unknown, expired or revoked).
    public var agency: Int64
    /// How it ended.
    public var outcome: Outcome
    /// The bulletin references delivered (`MA-01JQ…`), at most ``maximumBulletins``, each once;
    /// empty for a refusal.
    public var bulletins: [String]

    /// The most bulletin references one record carries: one TAXII response's page.
    public static let maximumBulletins = 100
    /// The most agency records one request carries: with up to
    /// ``ConsoleAccessRecord/maximumPerRequest`` console records, the largest JSON frame is about
    /// 35 KB, within ``ControlRequest/maximumRequestBytes`` (64 KiB).
    public static let maximumPerRequest = 8

    /// A record.
    public init(agency: Int64, outcome: Outcome, bulletins: [String] = []) {
        self.agency = agency
        self.outcome = outcome
        self.bulletins = bulletins
    }
}
