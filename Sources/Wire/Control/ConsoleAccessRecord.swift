/// One access to the web console as the console reports it to its node (`recordAccess`): the
/// account's number and role, the action, its outcome and, for a bulletin, the reference the
/// address named. The node checks every member strictly before the audit log sees it
/// (docs/AUDIT.md §3.3, kind `consoleAccess`); a console cannot write text of its choosing there.
///
/// JSON: `{"account": 7, "role": "reader", "action": "openBulletin", "outcome": "refused",
/// "bulletin": "MA-01JQ…"}`; `role` and `bulletin` may be absent.
public struct ConsoleAccessRecord: Codable, Sendable, Equatable {
    /// What was done (the names of docs/AUDIT.md §4).
    public enum Action: String, Codable, Sendable {
        /// A sign-in.
        case signIn
        /// A sign-out.
        case signOut
        /// A bulletin's page asked for.
        case openBulletin
    }

    /// How it ended.
    public enum Outcome: String, Codable, Sendable {
        /// Signed in, signed out, the bulletin shown.
        case succeeded
        /// A wrong password; a bulletin the clearance does not allow.
        case refused
        /// A sign-in during a lockout.
        case lockedOut
        /// No such bulletin (or no well-formed reference).
        case notFound
    }

    /// The console account's number (≥ 1), 0 for a sign-in that named no account.
    public var account: Int64
    /// The account's role (`officer`, `reader`, `operator`, `auditor`); absent for account 0.
    public var role: String?
    /// What was done.
    public var action: Action
    /// How it ended.
    public var outcome: Outcome
    /// `openBulletin`: the bulletin reference (`MA-01JQ…`), absent when the address held none.
    public var bulletin: String?

    /// The most records one request carries.
    public static let maximumPerRequest = 64

    /// A record.
    public init(account: Int64, role: String?, action: Action, outcome: Outcome, bulletin: String? = nil) {
        self.account = account
        self.role = role
        self.action = action
        self.outcome = outcome
        self.bulletin = bulletin
    }
}
