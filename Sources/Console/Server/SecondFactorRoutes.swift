import BulletinSchema
import ConsoleAccounts
import Foundation
import Hummingbird
import Sodium
import WebAuthn

/// The second factor: the sign-in step after the password (`/login/key`: a security key through
/// `navigator.credentials.get`, or a recovery code) and the security page (`/security`: register
/// and remove keys, new recovery codes). Every ceremony answers a challenge kept on the server
/// (single use, 5 minutes) and is checked by ``WebAuthn/RelyingParty`` for the origin the request
/// came to, which must be one of the configured public origins.
extension ConsoleServer {
    // MARK: Origins

    /// The public origins this console answers (configured, or loopback at the bound port).
    var publicOrigins: [PublicOrigin] {
        configuration.publicOrigins.isEmpty ? PublicOrigin.loopbackDefaults(port: boundPort.port) : configuration.publicOrigins
    }

    /// The relying party for the origin `request` was sent to: the configured origin whose
    /// authority is the request's `Host` (an https one first). `nil` when the console is reached
    /// at an address it was not configured for: no ceremony is offered there.
    func relyingParty(for request: Request) -> RelyingParty? {
        guard let authority = request.head.authority?.lowercased() else { return nil }
        let matching = publicOrigins.filter { $0.authority == authority }
        return (matching.first { $0.origin.hasPrefix("https:") } ?? matching.first)?.relyingParty
    }

    static func base64url(_ bytes: [UInt8]) -> String { Base64.encode(bytes, variant: .urlSafeUnpadded) }

    static func bytes(_ form: FormBody, _ name: String, limit: Int) -> [UInt8]? {
        guard let text = form[name], text.utf8.count <= limit * 4 / 3 + 4,
            let bytes = try? Base64.decode(text, variant: .urlSafeUnpadded), bytes.count <= limit
        else { return nil }
        return bytes
    }

    // MARK: Sign-in, second step

    func pending(_ request: Request) throws -> PendingSignIn? {
        guard let token = request.cookies[Self.secondStepCookie]?.value, !token.isEmpty else { return nil }
        return try accounts.pendingSignIn(token: token, now: Date())
    }

    static func clearSecondStep(_ response: inout Response) {
        response.setCookie(Cookie(name: secondStepCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict))
    }

    /// `/login/key`: asks the person's security key (their keys in `allowCredentials`), or a
    /// recovery code. Without a live pending sign-in, back to the password.
    func secondStepPage(_ request: Request, error: String? = nil) throws -> Response {
        guard let pending = try pending(request) else { return Self.redirect(to: "/login") }
        let language = Language(rawValue: pending.user.language) ?? .en
        var model: [String: Any] = ["csrf": pending.csrfToken]
        if let error { model["error"] = error }
        if let party = relyingParty(for: request) {
            let challenge = try accounts.issueChallenge(token: pending.token, purpose: .authenticate, now: Date())
            let keys = try accounts.securityKeys(of: pending.user.id)
            model["ceremony"] = [
                "challenge": Self.base64url(challenge), "rpId": party.id,
                "credentials": keys.map { Self.base64url($0.credentialID) }.joined(separator: ","),
            ]
        } else {
            model["originRefused"] = true
        }
        return renderer.response(
            "loginKey", title: ConsoleText.securityKeyStep(language), model: model,
            frame: .init(language: language, person: nil, nodeLabel: nil), status: error == nil ? .ok : .unauthorized)
    }

    /// Counts a failed second factor: the page again with `message`, or back to the password
    /// after too many.
    func secondFactorRefused(_ request: Request, pending: PendingSignIn, message: String, reason: String, context: ConsoleContext) throws -> Response {
        logger.notice(
            "console second factor refused",
            metadata: [
                "user": "\(pending.user.username)", "from": "\(Self.logText(clientAddress(request, context: context)))", "reason": "\(Self.logText(reason))",
            ])
        // In the node's audit log a refused key or recovery code is a refused sign-in of that
        // account: guessing recovery codes behind a known password shows there too.
        node.recordAccess(account: pending.user.id, role: pending.user.role, .signIn, .refused)
        guard try accounts.recordSecondFactorFailure(token: pending.token) else {
            var response = Self.redirect(to: "/login?lang=\(pending.user.language)")
            Self.clearSecondStep(&response)
            return response
        }
        return try secondStepPage(request, error: message)
    }

    /// The session, once the second factor was accepted.
    func completeSignIn(_ request: Request, _ pending: PendingSignIn, how: String, context: ConsoleContext) throws -> Response {
        let session = try accounts.completeSecondFactor(token: pending.token, now: Date())
        var response = Self.redirect(to: "/")
        response.setCookie(Cookie(name: Self.sessionCookie, value: session.token, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        Self.clearSecondStep(&response)
        logger.info("console sign-in", metadata: ["user": "\(pending.user.username)", "from": "\(Self.logText(clientAddress(request, context: context)))", "factor": "\(how)"])
        // The sign-in is recorded once it is complete, not when the password was accepted.
        node.recordAccess(account: pending.user.id, role: pending.user.role, .signIn, .succeeded)
        return response
    }

    /// `POST /login/key`: the assertion of `navigator.credentials.get`, checked against the
    /// challenge issued to this pending sign-in, the stored key and its counter.
    func signInWithKey(_ request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        guard let pending = try pending(request) else { return Self.redirect(to: "/login") }
        let language = Language(rawValue: pending.user.language) ?? .en
        guard let presented = form["csrf"], Self.constantTimeEqual(presented, pending.csrfToken) else {
            throw HTTPError(.forbidden, message: "the form's token is not this sign-in's: reload the page")
        }
        // Taken first, whatever follows: a challenge is answered once.
        let challenge = try accounts.takeChallenge(token: pending.token, purpose: .authenticate, now: Date())
        guard let challenge, let party = relyingParty(for: request) else {
            return try secondFactorRefused(request, pending: pending, message: ConsoleText.keyRefused(language), reason: "no live challenge", context: context)
        }
        guard let credentialID = Self.bytes(form, "credentialId", limit: 1_023),
            let clientDataJSON = Self.bytes(form, "clientDataJSON", limit: CollectedClientData.maximumByteCount),
            let authenticatorData = Self.bytes(form, "authenticatorData", limit: AuthenticatorData.maximumByteCount),
            let signature = Self.bytes(form, "signature", limit: RelyingParty.maximumSignatureByteCount)
        else {
            return try secondFactorRefused(request, pending: pending, message: ConsoleText.keyRefused(language), reason: "incomplete form", context: context)
        }
        // The key must be one of this person's: another account's key signs nobody in here.
        guard let key = try accounts.securityKey(credentialID: credentialID), key.userID == pending.user.id else {
            return try secondFactorRefused(request, pending: pending, message: ConsoleText.keyRefused(language), reason: "unknown key", context: context)
        }
        do {
            let publicKey = try CredentialPublicKey(cose: key.publicKey)
            let verified = try party.verifyAuthentication(
                clientDataJSON: clientDataJSON, authenticatorData: authenticatorData, signature: signature, challenge: challenge,
                key: publicKey, storedSignCount: key.signCount)
            guard try accounts.recordSecurityKeyUse(id: key.id, previousSignCount: key.signCount, newSignCount: verified.signCount, now: Date())
            else {
                return try secondFactorRefused(request, pending: pending, message: ConsoleText.keyRefused(language), reason: "counter moved meanwhile", context: context)
            }
        } catch let error as WebAuthnError {
            if case .signCountNotIncreased = error {
                logger.warning("console security key counter went back: possible clone", metadata: ["user": "\(pending.user.username)", "key": "\(Self.logText(key.name))"])
            }
            return try secondFactorRefused(request, pending: pending, message: ConsoleText.keyRefused(language), reason: "\(error)", context: context)
        }
        return try completeSignIn(request, pending, how: "security key", context: context)
    }

    /// `POST /login/recovery`: a recovery code instead of the key, each accepted once.
    func signInWithRecoveryCode(_ request: Request, context: ConsoleContext) async throws -> Response {
        let form = try await Self.form(request, context: context)
        guard let pending = try pending(request) else { return Self.redirect(to: "/login") }
        let language = Language(rawValue: pending.user.language) ?? .en
        guard let presented = form["csrf"], Self.constantTimeEqual(presented, pending.csrfToken) else {
            throw HTTPError(.forbidden, message: "the form's token is not this sign-in's: reload the page")
        }
        guard let code = form["code"], code.utf8.count <= 64, try accounts.useRecoveryCode(code, userID: pending.user.id, now: Date()) else {
            return try secondFactorRefused(request, pending: pending, message: ConsoleText.recoveryCodeRefused(language), reason: "recovery code", context: context)
        }
        logger.notice("console recovery code used", metadata: ["user": "\(pending.user.username)"])
        return try completeSignIn(request, pending, how: "recovery code", context: context)
    }

    // MARK: The security page

    /// `/security`: the person's keys, registering a new one, recovery codes.
    func securityPage(_ request: Request, context: ConsoleContext, error: String? = nil) throws -> Response {
        let person = try Self.person(context)
        let keys = try accounts.securityKeys(of: person.userID)
        var model: [String: Any] = [
            "csrf": person.csrfToken,
            "keys": keys.map { key -> [String: Any] in
                var row: [String: Any] = [
                    "id": String(key.id), "name": key.name,
                    "createdAt": BulletinPresenter.time(Int64((key.createdAt.timeIntervalSince1970 * 1000).rounded(.down))),
                ]
                if let used = key.lastUsedAt { row["lastUsedAt"] = BulletinPresenter.time(Int64((used.timeIntervalSince1970 * 1000).rounded(.down))) }
                return row
            },
            "hasKeys": !keys.isEmpty, "codesLeft": String(try accounts.unusedRecoveryCodeCount(of: person.userID)),
        ]
        if let error { model["error"] = error }
        if let party = relyingParty(for: request) {
            let challenge = try accounts.issueChallenge(token: person.sessionToken, purpose: .register, now: Date())
            var handle = [UInt8](repeating: 0, count: 8)
            for index in 0..<8 { handle[index] = UInt8(truncatingIfNeeded: person.userID >> (8 * (7 - index))) }
            model["ceremony"] = [
                "challenge": Self.base64url(challenge), "rpId": party.id, "rpName": ConsoleText.appName(.en),
                // The user handle is the account's number (8 bytes): no name or e-mail in it.
                "userId": Self.base64url(handle), "userName": person.username, "userDisplayName": person.displayName,
                "exclude": keys.map { Self.base64url($0.credentialID) }.joined(separator: ","),
            ]
        } else {
            model["originRefused"] = true
        }
        return renderer.response(
            "security", title: ConsoleText.security(person.language), model: model, frame: frame(context),
            status: error == nil ? .ok : .unprocessableContent)
    }

    /// `POST /security/keys`: the result of `navigator.credentials.create`, checked against the
    /// challenge issued to this session, once the person's password was typed again; the first
    /// key comes with recovery codes, shown once.
    ///
    /// The password is asked because a first key changes how the account signs in and brings
    /// recovery codes: through a stolen session alone, an attacker could otherwise register their
    /// own key, lock the owner out of the second step and keep codes for later.
    func registerKey(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let language = person.language
        if case .refused(let message) = try reauthenticate(request, form: form, person: person, action: "register security key", context: context) {
            return try securityPage(request, context: context, error: message)
        }
        let challenge = try accounts.takeChallenge(token: person.sessionToken, purpose: .register, now: Date())
        guard let challenge, let party = relyingParty(for: request),
            let clientDataJSON = Self.bytes(form, "clientDataJSON", limit: CollectedClientData.maximumByteCount),
            let attestationObject = Self.bytes(form, "attestationObject", limit: RelyingParty.maximumAttestationObjectByteCount)
        else {
            return try securityPage(request, context: context, error: ConsoleText.keyNotRegistered(language))
        }
        let credential: RegisteredCredential
        do {
            credential = try party.verifyRegistration(clientDataJSON: clientDataJSON, attestationObject: attestationObject, challenge: challenge)
        } catch {
            logger.notice("console security key refused", metadata: ["user": "\(person.username)", "reason": "\(error)"])
            return try securityPage(request, context: context, error: ConsoleText.keyNotRegistered(language))
        }
        if let presented = Self.bytes(form, "credentialId", limit: 1_023), presented != credential.id {
            return try securityPage(request, context: context, error: ConsoleText.keyNotRegistered(language))
        }
        let firstKey = try accounts.securityKeys(of: person.userID).isEmpty
        do {
            _ = try accounts.addSecurityKey(
                NewSecurityKey(
                    credentialID: credential.id, publicKey: credential.publicKey.coseBytes, signCount: credential.signCount,
                    aaguid: credential.aaguid, name: form["name"] ?? ConsoleText.securityKey(language)),
                to: person.userID, now: Date())
        } catch {
            logger.notice("console security key not stored", metadata: ["user": "\(person.username)", "reason": "\(error)"])
            return try securityPage(request, context: context, error: ConsoleText.keyNotRegistered(language))
        }
        logger.info("console security key registered", metadata: ["user": "\(person.username)", "alg": "\(credential.publicKey.algorithm)"])
        // Without recovery codes, losing the only key would lock the person out: give them now
        // (only when they have no unused code: codes are never replaced without the password).
        if firstKey, let codes = try accounts.firstRecoveryCodes(for: person.userID, now: Date()) {
            logger.info("console recovery codes made", metadata: ["user": "\(person.username)", "with": "first key"])
            return try recoveryCodesPage(codes, context: context)
        }
        return Self.redirect(to: "/security")
    }

    // MARK: Re-authentication

    /// The password typed again, or why not (in the person's language).
    enum Reauthentication {
        case confirmed(PasswordConfirmation)
        case refused(String)
    }

    /// Checks the password in `form`'s `password` field again for the signed-in `person` before
    /// `action` (a stolen session alone must not remove a second factor), counted like a sign-in
    /// from the client's address; refusals are logged.
    func reauthenticate(_ request: Request, form: FormBody, person: SignedInPerson, action: String, context: ConsoleContext) throws -> Reauthentication {
        let address = clientAddress(request, context: context)
        let password = form.values["password"]?.first ?? ""
        switch try accounts.confirmPassword(of: person.userID, password: password, from: address, now: Date()) {
        case .confirmed(let proof):
            return .confirmed(proof)
        case .refused:
            logger.notice(
                "console password confirmation refused", metadata: ["user": "\(person.username)", "from": "\(Self.logText(address))", "for": "\(action)"])
            return .refused(ConsoleText.passwordNotConfirmed(person.language))
        case .lockedOut:
            logger.warning(
                "console password confirmation locked out", metadata: ["user": "\(person.username)", "from": "\(Self.logText(address))", "for": "\(action)"])
            return .refused(ConsoleText.lockedOut(person.language))
        }
    }

    /// `POST /security/keys/remove`: removes one of the person's keys, once their password was
    /// typed again.
    func removeKey(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        guard let id = form["id"].flatMap(Int64.init) else { return Self.redirect(to: "/security") }
        switch try reauthenticate(request, form: form, person: person, action: "remove security key", context: context) {
        case .refused(let message):
            return try securityPage(request, context: context, error: message)
        case .confirmed(let proof):
            if try accounts.removeSecurityKey(id: id, confirmedBy: proof, now: Date()) {
                logger.notice("console security key removed", metadata: ["user": "\(person.username)"])
            }
            return Self.redirect(to: "/security")
        }
    }

    /// `POST /security/recovery`: ten new recovery codes (the old ones stop working), shown once,
    /// once the person's password was typed again.
    func newRecoveryCodes(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        switch try reauthenticate(request, form: form, person: person, action: "new recovery codes", context: context) {
        case .refused(let message):
            return try securityPage(request, context: context, error: message)
        case .confirmed(let proof):
            let codes = try accounts.replaceRecoveryCodes(confirmedBy: proof, now: Date())
            logger.notice("console recovery codes made", metadata: ["user": "\(person.username)", "with": "password confirmed"])
            return try recoveryCodesPage(codes, context: context)
        }
    }

    func recoveryCodesPage(_ codes: [String], context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        return renderer.response(
            "recoveryCodes", title: ConsoleText.recoveryCodes(person.language), model: ["codes": codes], frame: frame(context))
    }
}
