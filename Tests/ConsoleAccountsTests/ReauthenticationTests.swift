import ConsoleAccounts
import Foundation
import Sodium
import Testing

@Suite("console accounts: the password asked again before the second factor is weakened, and the operator's reset")
struct ReauthenticationTests {
    let fixture: ConsoleFixture
    let user: ConsoleUser
    var store: AccountStore { fixture.store }
    let start = ConsoleFixture.start

    init() throws {
        fixture = try ConsoleFixture()
        user = try fixture.addUser()
    }

    func newKey(_ name: String = "blue key") -> NewSecurityKey {
        NewSecurityKey(credentialID: SecureRandom.bytes(count: 32), publicKey: [0xa4, 1, 2, 3], signCount: 0, aaguid: Array(repeating: 0, count: 16), name: name)
    }

    @Test("a wrong password confirms nothing and counts like a failed sign-in: five lock the username, and a lock refuses even the right one")
    func wrongPasswordsCount() throws {
        for second in 0..<5 {
            let result = try store.confirmPassword(of: user.id, password: "not the password", from: "192.0.2.9", now: start + Double(second))
            #expect(result == .refused)
        }
        guard case .lockedOut = try store.confirmPassword(of: user.id, password: ConsoleFixture.password, from: "192.0.2.9", now: start + 10) else {
            Issue.record("the right password was checked during a lock")
            return
        }
        // The lock is the username's, as at sign-in.
        guard case .lockedOut = try store.authenticate(username: user.username, password: ConsoleFixture.password, from: "198.51.100.1", now: start + 11)
        else {
            Issue.record("failed confirmations did not count for sign-in")
            return
        }
        #expect(throws: AccountError.self) { try store.confirmPassword(of: 999, password: ConsoleFixture.password, from: "192.0.2.9", now: start) }
    }

    @Test("a disabled account confirms nothing")
    func disabled() throws {
        try store.setDisabled(true, of: user.id)
        #expect(try store.confirmPassword(of: user.id, password: ConsoleFixture.password, from: "192.0.2.9", now: start) == .refused)
    }

    @Test("a key is removed only with a confirmation of its owner's password, within its lifetime")
    func removingAKey() throws {
        let other = try fixture.addUser("karim")
        let key = try store.addSecurityKey(newKey(), to: user.id, now: start)
        // Another account's confirmation removes nothing of this one.
        #expect(try !store.removeSecurityKey(id: key.id, confirmedBy: fixture.confirmed(other.id), now: start))
        // A confirmation older than a minute, or from the future, is refused with a clear error.
        let old = try fixture.confirmed(user.id, at: start)
        for when in [start + 61, start - 1] {
            do {
                _ = try store.removeSecurityKey(id: key.id, confirmedBy: old, now: when)
                Issue.record("a stale confirmation removed a key")
            } catch {
                guard case .passwordConfirmationExpired = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(error.description.contains("type it again"))
            }
        }
        #expect(try store.securityKeys(of: user.id).map(\.id) == [key.id])
        #expect(try store.removeSecurityKey(id: key.id, confirmedBy: old, now: start + 60))
        #expect(try store.securityKeys(of: user.id).isEmpty)
    }

    @Test("first recovery codes only when none is unused; replacing them takes the password")
    func recoveryCodes() throws {
        let first = try #require(try store.firstRecoveryCodes(for: user.id, now: start))
        // A session that registers another key does not get to replace unused codes.
        #expect(try store.firstRecoveryCodes(for: user.id, now: start + 1) == nil)
        #expect(try store.useRecoveryCode(first[0], userID: user.id, now: start + 2))
        #expect(try store.firstRecoveryCodes(for: user.id, now: start + 3) == nil)
        let stale = try fixture.confirmed(user.id, at: start)
        do {
            _ = try store.replaceRecoveryCodes(confirmedBy: stale, now: start + 120)
            Issue.record("a stale confirmation replaced the codes")
        } catch {
            guard case .passwordConfirmationExpired = error else {
                Issue.record("\(error)")
                return
            }
        }
        #expect(try store.useRecoveryCode(first[1], userID: user.id, now: start + 121))
        let replaced = try store.replaceRecoveryCodes(confirmedBy: fixture.confirmed(user.id, at: start + 200), now: start + 200)
        #expect(replaced.count == 10 && Set(replaced).isDisjoint(with: first))
        #expect(try !store.useRecoveryCode(first[2], userID: user.id, now: start + 201))
        #expect(try store.unusedRecoveryCodeCount(of: user.id) == 10)
        // Every code used: the first-key path makes ten again.
        for code in replaced { #expect(try store.useRecoveryCode(code, userID: user.id, now: start + 202)) }
        #expect(try store.firstRecoveryCodes(for: user.id, now: start + 203)?.count == 10)
    }

    @Test("the operator's reset removes keys and codes, ends sessions, pending sign-ins and their challenges, of that account only; the password stays")
    func reset() throws {
        let other = try fixture.addUser("karim")
        for name in ["blue key", "phone"] { _ = try store.addSecurityKey(newKey(name), to: user.id, now: start) }
        _ = try store.addSecurityKey(newKey(), to: other.id, now: start)
        _ = try store.firstRecoveryCodes(for: user.id, now: start)
        _ = try store.firstRecoveryCodes(for: other.id, now: start)
        let session = try store.createSession(for: user, now: start)
        let pending = try store.beginSecondFactor(for: user, now: start)
        _ = try store.issueChallenge(token: session.token, purpose: .register, now: start)
        _ = try store.issueChallenge(token: pending.token, purpose: .authenticate, now: start)
        let otherSession = try store.createSession(for: other, now: start)
        _ = try store.issueChallenge(token: otherSession.token, purpose: .register, now: start)

        let reset = try store.resetSecondFactor(of: user.id)
        #expect(reset.securityKeys == 2 && reset.recoveryCodes == 10 && reset.sessions == 1 && reset.pendingSignIns == 1)
        #expect(try store.securityKeys(of: user.id).isEmpty && store.unusedRecoveryCodeCount(of: user.id) == 0)
        #expect(try store.session(token: session.token, now: start + 1) == nil)
        #expect(try store.pendingSignIn(token: pending.token, now: start + 1) == nil)
        #expect(try store.takeChallenge(token: session.token, purpose: .register, now: start + 1) == nil)
        #expect(try store.takeChallenge(token: pending.token, purpose: .authenticate, now: start + 1) == nil)
        // The other account keeps everything.
        #expect(try store.securityKeys(of: other.id).count == 1 && store.unusedRecoveryCodeCount(of: other.id) == 10)
        #expect(try store.session(token: otherSession.token, now: start + 1) != nil)
        #expect(try store.takeChallenge(token: otherSession.token, purpose: .register, now: start + 1) != nil)
        // The password is unchanged: the person signs in with it alone.
        #expect(try store.authenticate(username: user.username, password: ConsoleFixture.password, from: "192.0.2.1", now: start + 2) == .signedIn(user))
        // Nothing left to reset is not an error; an unknown account is.
        let again = try store.resetSecondFactor(of: user.id)
        #expect(again.securityKeys == 0 && again.recoveryCodes == 0 && again.sessions == 0 && again.pendingSignIns == 0)
        #expect(throws: AccountError.self) { try store.resetSecondFactor(of: 999) }
    }
}
