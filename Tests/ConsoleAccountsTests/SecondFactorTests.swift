import ConsoleAccounts
import Foundation
import GRDB
import Sodium
import Testing

@Suite("console accounts: security keys, the pending second step, WebAuthn challenges")
struct SecondFactorTests {
    let fixture: ConsoleFixture
    let user: ConsoleUser
    var store: AccountStore { fixture.store }
    let start = ConsoleFixture.start

    init() throws {
        fixture = try ConsoleFixture()
        user = try fixture.addUser()
    }

    func newKey(_ name: String = "blue key", id: [UInt8] = SecureRandom.bytes(count: 32)) -> NewSecurityKey {
        NewSecurityKey(credentialID: id, publicKey: [0xa4, 1, 2, 3], signCount: 3, aaguid: Array(repeating: 9, count: 16), name: name)
    }

    @Test("keys are added, listed, found by credential id, counted, and removed by their owner only")
    func keys() throws {
        let other = try fixture.addUser("karim")
        let first = try store.addSecurityKey(newKey("  blue key "), to: user.id, now: start)
        #expect(first.name == "blue key" && first.signCount == 3 && first.lastUsedAt == nil && first.userID == user.id)
        let second = try store.addSecurityKey(newKey("phone"), to: user.id, now: start + 1)
        #expect(try store.securityKeys(of: user.id).map(\.id) == [first.id, second.id])
        #expect(try store.securityKeys(of: other.id).isEmpty)
        #expect(try store.securityKey(credentialID: first.credentialID) == first)
        #expect(try store.securityKey(credentialID: [1, 2, 3]) == nil)

        // The same credential id twice, for anyone, is refused.
        #expect(throws: AccountError.self) { try store.addSecurityKey(newKey(id: first.credentialID), to: other.id, now: start) }
        for name in ["", String(repeating: "k", count: 65), "key\u{202E}evil", "key\nline"] {
            #expect(throws: AccountError.self) { try store.addSecurityKey(newKey(name), to: user.id, now: start) }
        }
        #expect(throws: AccountError.self) { try store.addSecurityKey(newKey(), to: 999, now: start) }

        #expect(try !store.removeSecurityKey(id: first.id, confirmedBy: fixture.confirmed(other.id), now: start))
        #expect(try store.removeSecurityKey(id: first.id, confirmedBy: fixture.confirmed(user.id), now: start))
        #expect(try store.securityKeys(of: user.id).map(\.id) == [second.id])
    }

    @Test("at most maximumSecurityKeys keys per account")
    func keyLimit() throws {
        var policy = AccountPolicy()
        policy.maximumSecurityKeys = 2
        let fixture = try ConsoleFixture(policy: policy)
        let user = try fixture.addUser()
        _ = try fixture.store.addSecurityKey(newKey(), to: user.id, now: start)
        _ = try fixture.store.addSecurityKey(newKey(), to: user.id, now: start)
        do {
            _ = try fixture.store.addSecurityKey(newKey(), to: user.id, now: start)
            Issue.record("a third key was accepted")
        } catch {
            guard case .tooManySecurityKeys(limit: 2) = error else {
                Issue.record("\(error)")
                return
            }
        }
    }

    @Test("a sign-in's counter moves only from the value it was checked against")
    func counterCompareAndSet() throws {
        let key = try store.addSecurityKey(newKey(), to: user.id, now: start)
        #expect(try store.recordSecurityKeyUse(id: key.id, previousSignCount: 3, newSignCount: 4, now: start + 5))
        // A second sign-in checked against the old counter (a replay racing the first) is refused.
        #expect(try !store.recordSecurityKeyUse(id: key.id, previousSignCount: 3, newSignCount: 4, now: start + 6))
        let stored = try #require(try store.securityKeys(of: user.id).first)
        #expect(stored.signCount == 4 && stored.lastUsedAt == start + 5)
    }

    @Test("the pending sign-in opens no session, becomes one session once, expires, and ends after five failures")
    func pendingSignIn() throws {
        let pending = try store.beginSecondFactor(for: user, now: start)
        #expect(pending.token.count == 43 && pending.csrfToken.count == 43)
        #expect(try store.session(token: pending.token, now: start) == nil)
        #expect(try store.pendingSignIn(token: pending.token, now: start + 10)?.user.id == user.id)
        // Only the SHA-256 of the token is stored.
        let raw = Data(try Base64.decode(pending.token, variant: .urlSafeUnpadded))
        #expect(!(try fixture.values(of: "pending_sign_in")).contains(raw.databaseValue))

        let session = try store.completeSecondFactor(token: pending.token, now: start + 20)
        #expect(try store.session(token: session.token, now: start + 21)?.user.id == user.id)
        #expect(throws: AccountError.self) { try store.completeSecondFactor(token: pending.token, now: start + 22) }
        #expect(try store.pendingSignIn(token: pending.token, now: start + 22) == nil)

        let late = try store.beginSecondFactor(for: user, now: start)
        #expect(try store.pendingSignIn(token: late.token, now: start + 301) == nil)
        #expect(throws: AccountError.self) { try store.completeSecondFactor(token: late.token, now: start + 301) }

        let failing = try store.beginSecondFactor(for: user, now: start)
        for _ in 1...4 { #expect(try store.recordSecondFactorFailure(token: failing.token)) }
        #expect(try !store.recordSecondFactorFailure(token: failing.token))
        #expect(try store.pendingSignIn(token: failing.token, now: start + 1) == nil)

        // A new password, or disabling, ends the pending step too.
        let reset = try store.beginSecondFactor(for: user, now: start)
        try store.setPassword("another long passphrase", of: user.id, mustChange: true, now: start)
        #expect(try store.pendingSignIn(token: reset.token, now: start + 1) == nil)
        #expect(try store.pendingSignIn(token: "not a token", now: start) == nil)
    }

    @Test("a challenge is 32 random bytes, for one purpose, answered once, within its lifetime")
    func challenges() throws {
        let pending = try store.beginSecondFactor(for: user, now: start)
        let challenge = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start)
        #expect(challenge.count == 32)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 1) == challenge)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 2) == nil)

        let second = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start)
        #expect(second != challenge)
        // Asked for another purpose: refused, and used up all the same.
        #expect(try store.takeChallenge(token: pending.token, purpose: .register, now: start + 1) == nil)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 1) == nil)

        _ = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start)
        let replacing = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start + 1)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 2) == replacing)

        _ = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 301) == nil)
        #expect(try store.takeChallenge(token: "x", purpose: .authenticate, now: start) == nil)
    }

    @Test("unused recovery codes are counted")
    func recoveryCodesLeft() throws {
        #expect(try store.unusedRecoveryCodeCount(of: user.id) == 0)
        let codes = try #require(try store.firstRecoveryCodes(for: user.id, now: start))
        #expect(try store.useRecoveryCode(codes[0], userID: user.id, now: start))
        #expect(try store.unusedRecoveryCodeCount(of: user.id) == 9)
    }
}
