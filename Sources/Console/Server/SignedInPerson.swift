import BulletinSchema
import Clearance
import ConsoleAccounts
import Exchange

/// The person behind a request, as the pages need them: who, what they are cleared for, their
/// language, and the session's tokens. Built from the account store's session; the only place
/// the console's pages meet the account and clearance types.
struct SignedInPerson: Sendable {
    let userID: Int64
    let username: String
    let displayName: String
    let clearance: Clearance
    let language: Language
    let arabicDigits: Bool
    let sessionToken: String
    let csrfToken: String
    /// Signed in with a one-time password: nothing but choosing a new one until it is done.
    let mustChangePassword: Bool

    init?(session: ActiveSession, token: String) {
        let user = session.user
        guard let role = ConsoleRole(rawValue: user.role), let agency = AgencyKind(rawValue: user.agencyKind),
            let tlp = try? TLP(label: user.highestTLP)
        else { return nil }
        userID = user.id
        username = user.username
        displayName = user.displayName
        clearance = Clearance(
            role: role, workingGroups: Set(user.workingGroups.compactMap(WorkingGroup.init(rawValue:))), highestTLP: tlp, agencyKind: agency)
        language = Language(rawValue: user.language) ?? .en
        arabicDigits = user.arabicDigits
        sessionToken = token
        csrfToken = session.csrfToken
        mustChangePassword = user.mustChangePassword
    }

    var canPost: Bool { ClearancePolicy.canPost(clearance) }
    var canAudit: Bool { ClearancePolicy.canSeeAudit(clearance) }
    /// Reads some bulletins (the feed, a bulletin, search): officers, and readers with a working group.
    var canReadBulletins: Bool { ClearancePolicy.readableScope(clearance) != .nothing }
    var canOperate: Bool { ClearancePolicy.canSeeLinks(clearance) && ClearancePolicy.canManageUsers(clearance) }

    func roleLabel(_ language: Language) -> String {
        Self.roleLabel(clearance.role, language)
    }

    static func roleLabel(_ role: ConsoleRole, _ language: Language) -> String {
        switch (role, language) {
        case (.officer, .ar): return "ضابط اتصال"
        case (.officer, .fr): return "officier de liaison"
        case (.officer, .en): return "liaison officer"
        case (.reader, .ar): return "قارئ"
        case (.reader, .fr): return "lecteur"
        case (.reader, .en): return "reader"
        case (.operator, .ar): return "مشغّل"
        case (.operator, .fr): return "opérateur"
        case (.operator, .en): return "operator"
        case (.auditor, .ar): return "مدقّق"
        case (.auditor, .fr): return "auditeur"
        case (.auditor, .en): return "auditor"
        }
    }
}
