import Foundation

/// A person who signs in to the web console, as the account store keeps them.
///
/// The clearance fields are plain strings here, checked against the closed sets below; the
/// `Clearance` target maps them to its own types (``role`` to `ConsoleRole`, ``workingGroups`` to
/// `WorkingGroup`s, ``highestTLP`` to `Exchange.TLP(label:)`, ``agencyKind`` to `AgencyKind`), so
/// this target decides nothing about who may read what.
public struct ConsoleUser: Sendable, Hashable, Codable {
    /// The account's number, never reused.
    public var id: Int64
    /// What the person types to sign in: 3–64 characters of `a-z 0-9 . _ -`, unique.
    public var username: String
    /// The name the console shows (`Amina B.`), 1–128 characters.
    public var displayName: String
    /// One of ``ConsoleUser/roles``: `officer`, `reader`, `operator`, `auditor`.
    public var role: String
    /// The working groups whose bulletins the person may read (`customs`, `security`), each
    /// 1–64 characters of `a-z 0-9 -`, without repetition, in the order given.
    public var workingGroups: [String]
    /// The highest TLP label the person may read, one of ``ConsoleUser/tlpLabels`` (`AMBER`).
    public var highestTLP: String
    /// The kind of agency the person works for (`law-enforcement`, `customs`): 1–64 characters
    /// of `a-z 0-9 -`; its meaning belongs to the clearance policy.
    public var agencyKind: String
    /// The console's language for this person, one of ``ConsoleUser/languages``.
    public var language: String
    /// Whether numbers are shown in Arabic-Indic digits (٠١٢) rather than Western digits.
    public var arabicDigits: Bool
    /// A disabled account cannot sign in and has no session.
    public var disabled: Bool
    /// Whether the password is a one-time password (from `user add` or an operator's reset) that
    /// the person must replace before doing anything else.
    public var mustChangePassword: Bool
    /// When the account was created.
    public var createdAt: Date

    /// The console's roles.
    public static let roles = ["officer", "reader", "operator", "auditor"]
    /// The console's languages.
    public static let languages = ["ar", "fr", "en"]
    /// The TLP 2.0 labels, lowest first.
    public static let tlpLabels = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
    /// The kinds of agency (Clearance's `AgencyKind`).
    public static let agencyKinds = ["law-enforcement", "intelligence", "other"]
}

/// What an operator gives to create an account (``AccountStore/addUser(_:password:now:)``).
public struct NewUser: Sendable, Hashable {
    /// See ``ConsoleUser/username``; read in lower case.
    public var username: String
    /// See ``ConsoleUser/displayName``.
    public var displayName: String
    /// See ``ConsoleUser/role``.
    public var role: String
    /// See ``ConsoleUser/workingGroups``.
    public var workingGroups: [String]
    /// See ``ConsoleUser/highestTLP``; `TLP:` before the label and lower case are accepted.
    public var highestTLP: String
    /// See ``ConsoleUser/agencyKind``.
    public var agencyKind: String
    /// See ``ConsoleUser/language``.
    public var language: String
    /// See ``ConsoleUser/arabicDigits``.
    public var arabicDigits: Bool
    /// Whether the password given with it is a one-time password to be replaced at first sign-in
    /// (`true` for `user add`).
    public var mustChangePassword: Bool

    /// A new account's details.
    public init(
        username: String, displayName: String, role: String, workingGroups: [String], highestTLP: String,
        agencyKind: String, language: String, arabicDigits: Bool = false, mustChangePassword: Bool = true
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.workingGroups = workingGroups
        self.highestTLP = highestTLP
        self.agencyKind = agencyKind
        self.language = language
        self.arabicDigits = arabicDigits
        self.mustChangePassword = mustChangePassword
    }

    /// The details with every rule checked and spellings made canonical, or the first broken rule.
    func checked() throws(AccountError) -> NewUser {
        var user = self
        user.username = try Self.checkedUsername(username)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...128).contains(name.count), !name.unicodeScalars.contains(where: Self.isControlOrBidi) else {
            throw .invalidField(
                field: "display name", value: displayName,
                rule: "1–128 characters, without control characters or bidirectional overrides")
        }
        user.displayName = name
        user.role = try Self.oneOf(role.lowercased(), ConsoleUser.roles, field: "role")
        user.language = try Self.oneOf(language.lowercased(), ConsoleUser.languages, field: "language")
        var tlp = highestTLP.uppercased()
        if tlp.hasPrefix("TLP:") { tlp.removeFirst(4) }
        user.highestTLP = try Self.oneOf(tlp, ConsoleUser.tlpLabels, field: "highest TLP")
        // The kinds Clearance knows: any other would make an account that signs in and then
        // reaches no page.
        user.agencyKind = try Self.oneOf(agencyKind.lowercased(), ConsoleUser.agencyKinds, field: "agency kind")
        var groups: [String] = []
        for group in workingGroups {
            let name = try Self.checkedName(group.lowercased(), field: "working group")
            if !groups.contains(name) { groups.append(name) }
        }
        user.workingGroups = groups
        return user
    }

    /// `text` as a username: 3–64 characters of `a-z 0-9 . _ -` after lower-casing.
    static func checkedUsername(_ text: String) throws(AccountError) -> String {
        let name = text.lowercased()
        guard (3...64).contains(name.utf8.count), name.utf8.allSatisfy(isUsernameByte) else {
            throw .invalidUsername(text, rule: "3–64 characters, each a letter a–z, a digit, '.', '_' or '-'")
        }
        return name
    }

    static func isUsernameByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D
    }

    private static func checkedName(_ text: String, field: String) throws(AccountError) -> String {
        let isNameByte = { (byte: UInt8) in (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D }
        guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy(isNameByte) else {
            throw .invalidField(field: field, value: text, rule: "1–64 characters, each a letter a–z, a digit or '-'")
        }
        return text
    }

    private static func oneOf(_ text: String, _ allowed: [String], field: String) throws(AccountError) -> String {
        guard allowed.contains(text) else {
            throw .invalidField(field: field, value: text, rule: "one of " + allowed.joined(separator: ", "))
        }
        return text
    }

    private static func isControlOrBidi(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }
}
