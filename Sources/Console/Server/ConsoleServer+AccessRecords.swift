import Exchange
import Wire

/// The access records the pages send to the node's audit log (docs/AUDIT.md §3.3,
/// `consoleAccess`): account numbers, roles, actions, outcomes and bulletin references, never a
/// username, a password or anything a person typed.
extension ConsoleServer {
    /// A refused or locked-out sign-in: the account the name belongs to, or account 0 when it
    /// names none — the typed text itself (perhaps a password typed in the wrong field) is not sent.
    func recordRefusedSignIn(username: String, _ outcome: ConsoleAccessRecord.Outcome) {
        let user = try? accounts.user(username: username)
        node.recordAccess(account: user?.id ?? 0, role: user?.role, .signIn, outcome)
    }

    /// A bulletin's page asked for by `person`: the reference when `id` is one (a malformed id is
    /// recorded without it, as not found).
    func recordOpening(_ person: SignedInPerson, id: String, _ outcome: ConsoleAccessRecord.Outcome) {
        let reference = (try? BulletinReference(id))?.description
        node.recordAccess(
            account: person.userID, role: person.clearance.role.rawValue, .openBulletin, reference == nil ? .notFound : outcome, bulletin: reference)
    }
}
