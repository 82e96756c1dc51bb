import BulletinSchema
import Clearance
import ConsoleAccounts
import Foundation
import Hummingbird

/// The operator's pages: the node's links, and the console's people.
extension ConsoleServer {
    func linksPage(context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canSeeLinks(person.clearance) else { return forbidden(context) }
        let language = person.language
        guard let status = try await node.status() else {
            return renderer.message(heading: ConsoleText.links(language), text: "—", frame: frame(context), status: .serviceUnavailable)
        }
        let yes = ConsoleText.yes(language), no = ConsoleText.no(language)
        let model: [String: Any] = [
            "state": status.state, "nodeName": BulletinPresenter.safe(status.nodeName), "rosterVersion": String(status.rosterVersion),
            "rosterExpires": BulletinPresenter.time(status.rosterExpiresAt),
            "outgoing": status.outgoing.map {
                [
                    "recipient": $0.recipient, "sent": String($0.sent), "acknowledged": String($0.acknowledged),
                    "oldest": $0.oldestUnacknowledged.map { "#\($0.sequence) (\($0.ageSeconds) s)" } ?? "—", "subscribed": $0.subscribed ? yes : no,
                ]
            },
            "incoming": status.incoming.map {
                [
                    "origin": $0.origin, "received": String($0.received), "announced": $0.announced.map(String.init) ?? "—",
                    "lastContact": $0.lastContactAt.map(BulletinPresenter.time) ?? "—", "replaying": $0.replaying ? yes : no,
                ]
            },
            "rejections": status.rejections.sorted { $0.key < $1.key }.flatMap { peer, reasons in
                reasons.sorted { $0.key < $1.key }.map { ["peer": peer, "reason": BulletinPresenter.safe($0.key), "count": String($0.value)] }
            },
        ]
        return renderer.response("links", title: ConsoleText.links(language), model: model, frame: frame(context))
    }

    func usersPage(
        context: ConsoleContext, created: (username: String, password: String)? = nil, resetDone: String? = nil, error: String? = nil
    ) throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canManageUsers(person.clearance) else { return forbidden(context) }
        let language = person.language
        let common = node.catalog.bulletinFields
        func choices(_ field: String) -> [[String: String]] {
            (common.first { $0.name == field }?.allowedValues ?? []).map { ["value": $0.value, "label": $0.labels[language]] }
        }
        var model: [String: Any] = [
            "csrf": person.csrfToken,
            "people": try accounts.users().map { user -> [String: Any] in
                let keys = try accounts.securityKeys(of: user.id).count
                return [
                    "id": String(user.id), "username": user.username, "displayName": BulletinPresenter.safe(user.displayName), "role": user.role,
                    "groups": user.workingGroups.joined(separator: ", "), "tlp": user.highestTLP, "disabled": user.disabled, "csrf": person.csrfToken,
                    "keys": String(keys), "hasSecondFactor": try keys > 0 || accounts.unusedRecoveryCodeCount(of: user.id) > 0,
                ]
            },
            "roles": ConsoleRole.allCases.map { ["value": $0.rawValue, "label": SignedInPerson.roleLabel($0, language)] },
            "groupChoices": choices("workingGroup"), "tlpChoices": choices("tlp"),
            "agencies": AgencyKind.allCases.map { ["value": $0.rawValue, "label": $0.rawValue] },
            "languages": Language.allCases.map { ["code": $0.rawValue, "name": $0.nativeName] },
        ]
        if let created {
            model["created"] = created.password
            model["createdUsername"] = created.username
        }
        if let resetDone { model["resetDone"] = resetDone }
        if let error { model["error"] = error }
        return renderer.response("users", title: ConsoleText.users(language), model: model, frame: frame(context), status: error == nil ? .ok : .unprocessableContent)
    }

    /// Adds a person with a one-time password, shown once on the page that answers.
    func addUser(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canManageUsers(person.clearance) else { return forbidden(context) }
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let password = accounts.generatePassword()
        let new = NewUser(
            username: form["username"] ?? "", displayName: form["name"] ?? "", role: form["role"] ?? "", workingGroups: form.all("groups"),
            highestTLP: form["tlp"] ?? "", agencyKind: form["agency"] ?? "", language: form["lang"] ?? "en")
        do {
            let user = try accounts.addUser(new, password: password, now: Date())
            logger.notice("console user added", metadata: ["by": "\(person.username)", "user": "\(user.username)", "role": "\(user.role)"])
            return try usersPage(context: context, created: (user.username, password))
        } catch {
            return try usersPage(context: context, error: "\(ConsoleText.userRefused(person.language)): \(error)")
        }
    }

    /// Disables, enables, or gives a new one-time password to account `id`.
    func changeUser(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canManageUsers(person.clearance) else { return forbidden(context) }
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        guard let id = context.parameters.get("id").flatMap(Int64.init), let user = try accounts.user(id: id) else {
            return try usersPage(context: context, error: ConsoleText.notFound(person.language))
        }
        switch form["action"] {
        case "disable":
            try accounts.setDisabled(true, of: id)
        case "enable":
            try accounts.setDisabled(false, of: id)
        case "reset":
            let password = accounts.generatePassword()
            try accounts.setPassword(password, of: id, mustChange: true, now: Date())
            logger.notice("console password reset", metadata: ["by": "\(person.username)", "user": "\(user.username)"])
            return try usersPage(context: context, created: (user.username, password))
        default:
            return try usersPage(context: context, error: ConsoleText.userRefused(person.language))
        }
        logger.notice("console user changed", metadata: ["by": "\(person.username)", "user": "\(user.username)", "action": "\(form["action"] ?? "")"])
        return Self.redirect(to: "/users")
    }

    /// `POST /users/ID/second-factor`: for a person who lost their security key, removes their
    /// keys and recovery codes and ends their sessions and pending sign-ins
    /// (``AccountStore/resetSecondFactor(of:)``), once the operator typed their own password
    /// again (a stolen operator session alone must not strip anyone's second factor). Logged.
    func resetSecondFactor(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canManageUsers(person.clearance) else { return forbidden(context) }
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        guard let id = context.parameters.get("id").flatMap(Int64.init), let user = try accounts.user(id: id) else {
            return try usersPage(context: context, error: ConsoleText.notFound(person.language))
        }
        if case .refused(let message) = try reauthenticate(
            request, form: form, person: person, action: "reset second factor of \(user.username)", context: context)
        {
            return try usersPage(context: context, error: message)
        }
        let reset = try accounts.resetSecondFactor(of: user.id)
        logger.notice(
            "console second factor reset",
            metadata: [
                "by": "\(person.username)", "user": "\(user.username)", "keys": "\(reset.securityKeys)", "codes": "\(reset.recoveryCodes)",
                "sessions": "\(reset.sessions)", "pending": "\(reset.pendingSignIns)", "from": "\(Self.logText(clientAddress(request, context: context)))",
            ])
        // An operator who reset their own second factor has just ended their own session.
        if user.id == person.userID { return Self.redirect(to: "/login?lang=\(person.language.rawValue)") }
        return try usersPage(context: context, resetDone: user.username)
    }
}
