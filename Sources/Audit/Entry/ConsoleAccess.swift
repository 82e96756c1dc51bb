import Exchange

/// One access to the node's web console, as the audit log records it (docs/AUDIT.md §3.3, kind
/// 50): which console account, with which role, did what, to which bulletin, with what outcome.
/// Metadata only: never a username, a name, a password, a search, a page or a bulletin's content.
///
/// The account is the console's account number (``account``), never reused, not its username: the
/// log leaves the state (the secretariat collects it), so it carries a stable pseudonym that the
/// node's own operators resolve to a person (`bordernet console user list`), and the text typed
/// at a refused sign-in — which may be a mistyped password — never reaches it.
public struct ConsoleAccess: Hashable, Sendable {
    /// The console account (its number, ≥ 1), or 0 when a sign-in named no account.
    public let account: UInt64
    /// The account's role, ``Role/none`` exactly when ``account`` is 0.
    public let role: Role
    /// What was done.
    public let action: Action
    /// How it ended.
    public let outcome: Outcome
    /// The bulletin asked for (``Action/openBulletin`` only; absent when the address named no
    /// well-formed bulletin reference, which is then ``Outcome/notFound``).
    public let bulletin: BulletinReference?

    /// A console role (the console's `ConsoleRole`), one byte in the entry.
    public enum Role: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// No account was found (a refused sign-in for a name that is no account).
        case none = 0
        /// A liaison officer.
        case officer = 1
        /// An agency's reader.
        case reader = 2
        /// The node's operator.
        case `operator` = 3
        /// The secretariat's auditor.
        case auditor = 4

        /// The name in JSON and in the console (`officer`).
        public var description: String {
            switch self {
            case .none: "none"
            case .officer: "officer"
            case .reader: "reader"
            case .operator: "operator"
            case .auditor: "auditor"
            }
        }

        /// The role named `name`.
        public init?(name: String) {
            guard let role = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = role
        }
    }

    /// What the person did, one byte in the entry.
    public enum Action: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// Signed in with a password (a second factor, when asked, is part of it).
        case signIn = 1
        /// Signed out.
        case signOut = 2
        /// Opened a bulletin's page (or tried to).
        case openBulletin = 3

        /// The name in JSON (`openBulletin`).
        public var description: String {
            switch self {
            case .signIn: "signIn"
            case .signOut: "signOut"
            case .openBulletin: "openBulletin"
            }
        }

        /// The action named `name`.
        public init?(name: String) {
            guard let action = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = action
        }

        /// The outcomes this action can have.
        public var outcomes: Set<Outcome> {
            switch self {
            case .signIn: [.succeeded, .refused, .lockedOut]
            case .signOut: [.succeeded]
            case .openBulletin: [.succeeded, .refused, .notFound]
            }
        }
    }

    /// How an access ended, one byte in the entry.
    public enum Outcome: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// Done: signed in, signed out, the bulletin shown.
        case succeeded = 0
        /// Refused: a wrong password (sign-in), or a bulletin the person's clearance does not
        /// allow (the page answered "not found", as for a bulletin that does not exist).
        case refused = 1
        /// A sign-in refused without checking, during a lockout.
        case lockedOut = 2
        /// No such bulletin in the store (or no well-formed reference in the address).
        case notFound = 3

        /// The name in JSON (`refused`).
        public var description: String {
            switch self {
            case .succeeded: "succeeded"
            case .refused: "refused"
            case .lockedOut: "lockedOut"
            case .notFound: "notFound"
            }
        }

        /// The outcome named `name`.
        public init?(name: String) {
            guard let outcome = Self.allCases.first(where: { $0.description == name }) else { return nil }
            self = outcome
        }
    }

    /// An access; ``validate()`` checks that its fields go together (``AuditEntry`` calls it).
    public init(account: UInt64, role: Role, action: Action, outcome: Outcome, bulletin: BulletinReference? = nil) {
        self.account = account
        self.role = role
        self.action = action
        self.outcome = outcome
        self.bulletin = bulletin
    }

    /// The largest account number an entry holds: 2^53 − 1, so that it survives JSON readers that
    /// keep numbers as doubles (the console's numbers are SQLite row ids, far below it).
    public static let maximumAccount: UInt64 = (1 << 53) - 1

    /// The rules the encoding and the report rely on: an account in 0…2^53−1; role `none`
    /// exactly for account 0, which only a refused or locked-out sign-in has; an outcome the
    /// action can have; a bulletin only for `openBulletin`, and always there unless `notFound`.
    public func validate() throws(FormatError) {
        guard account <= Self.maximumAccount else {
            throw FormatError.invalidField(field: "console account", reason: "\(account) is above 2^53 − 1")
        }
        guard (account == 0) == (role == .none) else {
            throw FormatError.invalidField(field: "console role", reason: "role \(role) with account \(account) (none exactly for account 0)")
        }
        guard action.outcomes.contains(outcome) else {
            throw FormatError.invalidField(field: "console outcome", reason: "\(action) cannot end \(outcome)")
        }
        if account == 0, !(action == .signIn && outcome != .succeeded) {
            throw FormatError.invalidField(field: "console account", reason: "account 0 (no account) only for a refused sign-in")
        }
        switch (action, bulletin) {
        case (.openBulletin, nil) where outcome != .notFound:
            throw FormatError.invalidField(field: "bulletin", reason: "openBulletin \(outcome) names its bulletin")
        case (.signIn, .some), (.signOut, .some):
            throw FormatError.invalidField(field: "bulletin", reason: "\(action) names no bulletin")
        default:
            break
        }
    }
}

extension ConsoleAccess {
    /// account `u64` ‖ role `u8` ‖ action `u8` ‖ outcome `u8` ‖ `u8` 0 (no bulletin) or 1 then
    /// origin `[2]` ‖ bulletin id `[16]`.
    func write(to writer: inout ByteWriter) {
        writer.write(account)
        writer.write(role.rawValue)
        writer.write(action.rawValue)
        writer.write(outcome.rawValue)
        if let bulletin {
            writer.write(UInt8(1))
            writer.write(state: bulletin.origin)
            writer.write(raw: bulletin.id.bytes)
        } else {
            writer.write(UInt8(0))
        }
    }

    /// Reads the fields, refusing an unknown role, action or outcome and a presence byte other
    /// than 0 or 1; the caller validates the combination.
    init(reading reader: inout ByteReader) throws(FormatError) {
        let account = try reader.readUInt64(field: "console account")
        let roleCode = try reader.readUInt8(field: "console role")
        guard let role = Role(rawValue: roleCode) else {
            throw FormatError.invalidField(field: "console role", reason: "code \(roleCode) is not a known role")
        }
        let actionCode = try reader.readUInt8(field: "console action")
        guard let action = Action(rawValue: actionCode) else {
            throw FormatError.invalidField(field: "console action", reason: "code \(actionCode) is not a known action")
        }
        let outcomeCode = try reader.readUInt8(field: "console outcome")
        guard let outcome = Outcome(rawValue: outcomeCode) else {
            throw FormatError.invalidField(field: "console outcome", reason: "code \(outcomeCode) is not a known outcome")
        }
        let bulletin: BulletinReference?
        switch try reader.readUInt8(field: "bulletin presence") {
        case 0: bulletin = nil
        case 1:
            let origin = try reader.readState(field: "bulletin origin")
            bulletin = BulletinReference(origin: origin, id: try reader.readBulletinID(field: "bulletin id"))
        case let other:
            throw FormatError.invalidField(field: "bulletin presence", reason: "\(other) is neither 0 (none) nor 1")
        }
        self.init(account: account, role: role, action: action, outcome: outcome, bulletin: bulletin)
    }
}
