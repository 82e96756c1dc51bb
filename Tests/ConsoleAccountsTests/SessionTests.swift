import ConsoleAccounts
import Foundation
import GRDB
import Sodium
import Testing

@Suite("console accounts: sessions, CSRF and recovery codes")
struct SessionTests {
    let fixture: ConsoleFixture
    let user: ConsoleUser
    var store: AccountStore { fixture.store }
    let start = ConsoleFixture.start

    init() throws {
        fixture = try ConsoleFixture()
        user = try fixture.addUser()
    }

    @Test("a session token is 32 random bytes in Base64url; only its SHA-256 is stored, never the token")
    func tokenStoredHashed() throws {
        let session = try store.createSession(for: user, now: start)
        let bytes = try Base64.decode(session.token, variant: .urlSafeUnpadded)
        #expect(bytes.count == 32 && session.token.count == 43)
        #expect(session.expiresAt == start + 12 * 3600)
        let stored = try fixture.values(of: "session")
        let blobs = stored.compactMap { Data.fromDatabaseValue($0) }.map { [UInt8]($0) }
        let texts = stored.compactMap { String.fromDatabaseValue($0) }
        #expect(blobs.contains(SHA256.hash(bytes)))
        #expect(!blobs.contains(bytes))
        #expect(!texts.contains { $0.contains(session.token) || $0.contains(session.csrfToken) })
        #expect(try store.session(token: session.token, now: start)?.user == user)
    }

    @Test("an unknown, malformed or browser-invented token finds no session; each sign-in gets a new token")
    func fixation() throws {
        let invented = Base64.encode(SecureRandom.bytes(count: 32), variant: .urlSafeUnpadded)
        #expect(try store.session(token: invented, now: start) == nil)
        for token in ["", "abc", String(repeating: "A", count: 43) + "=", "not base64 !", String(repeating: "A", count: 64)] {
            #expect(try store.session(token: token, now: start) == nil, "\(token)")
        }
        let first = try store.createSession(for: user, now: start)
        let second = try store.createSession(for: user, now: start)
        #expect(first.token != second.token && first.token != invented)
        #expect(first.csrfToken != second.csrfToken)
    }

    @Test("a session ends after 15 minutes without a request; each request slides it")
    func idleExpiry() throws {
        let token = try store.createSession(for: user, now: start).token
        let active = try #require(try store.session(token: token, now: start + 14 * 60 + 59))
        #expect(active.lastSeenAt == start + 14 * 60 + 59)
        #expect(active.idleExpiresAt == start + 29 * 60 + 59)
        #expect(try store.session(token: token, now: start + 29 * 60 + 58) != nil)
        #expect(try store.session(token: token, now: start + 29 * 60 + 58 + 15 * 60) == nil)
        // Gone for good: not found even at a time that would have been in time.
        #expect(try store.session(token: token, now: start + 29 * 60 + 59) == nil)
    }

    @Test("requests within 15 seconds of the last one seen do not move it (no write per page)")
    func lastSeenResolution() throws {
        let token = try store.createSession(for: user, now: start).token
        #expect(try store.session(token: token, now: start + 10)?.lastSeenAt == start)
        #expect(try store.session(token: token, now: start + 15)?.lastSeenAt == start + 15)
    }

    @Test("a session ends 12 hours after its creation however active it is")
    func absoluteExpiry() throws {
        let token = try store.createSession(for: user, now: start).token
        var seconds = 600.0
        while seconds < 12 * 3600 {
            #expect(try store.session(token: token, now: start + seconds) != nil, "\(seconds)")
            seconds += 600
        }
        #expect(try store.session(token: token, now: start + 12 * 3600 - 1)?.idleExpiresAt == start + 12 * 3600)
        #expect(try store.session(token: token, now: start + 12 * 3600) == nil)
    }

    @Test("sign-out ends one session; ending all, a new password and disabling end every session")
    func ending() throws {
        let first = try store.createSession(for: user, now: start).token
        let second = try store.createSession(for: user, now: start).token
        try store.endSession(token: first)
        try store.endSession(token: "malformed")
        #expect(try store.session(token: first, now: start) == nil)
        #expect(try store.session(token: second, now: start) != nil)
        try store.endAllSessions(of: user.id)
        #expect(try store.session(token: second, now: start) == nil)

        let third = try store.createSession(for: user, now: start).token
        try store.setPassword("another long passphrase", of: user.id, mustChange: false, now: start)
        #expect(try store.session(token: third, now: start) == nil)
        #expect(try store.user(id: user.id)?.mustChangePassword == false)
        #expect(try store.authenticate(username: "amina", password: "another long passphrase", from: "192.0.2.1", now: start) != .refused)
        #expect(try store.authenticate(username: "amina", password: ConsoleFixture.password, from: "192.0.2.1", now: start) == .refused)

        let fourth = try store.createSession(for: user, now: start).token
        try store.setDisabled(true, of: user.id)
        #expect(try store.session(token: fourth, now: start) == nil)
        #expect {
            try store.createSession(for: user, now: start)
        } throws: { error in
            guard case .userDisabled("amina") = error as? AccountError else { return false }
            return true
        }
    }

    @Test("the CSRF token is the session's own, stable, and checked exactly")
    func csrf() throws {
        let new = try store.createSession(for: user, now: start)
        let other = try store.createSession(for: user, now: start)
        let session = try #require(try store.session(token: new.token, now: start + 1))
        #expect(session.csrfToken == new.csrfToken && new.csrfToken.count == 43)
        #expect(try store.session(token: new.token, now: start + 100)?.csrfToken == new.csrfToken)
        #expect(store.verifyCSRF(new.csrfToken, session: session))
        #expect(!store.verifyCSRF(other.csrfToken, session: session))
        #expect(!store.verifyCSRF("", session: session))
        #expect(!store.verifyCSRF(String(new.csrfToken.dropLast()) + "x", session: session))
        #expect(!store.verifyCSRF(new.token, session: session))
    }

    @Test("ten recovery codes, stored hashed, each usable once, by their own account only; new ones replace the old")
    func recoveryCodes() throws {
        let other = try fixture.addUser("karim")
        let codes = try #require(try store.firstRecoveryCodes(for: user.id, now: start))
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 19 && $0.split(separator: "-").count == 4 })
        let stored = try fixture.values(of: "recovery_code")
        #expect(!stored.compactMap { String.fromDatabaseValue($0) }.contains { text in codes.contains { text.contains($0) } })
        #expect(try !store.useRecoveryCode(codes[0], userID: other.id, now: start))
        #expect(try store.useRecoveryCode(codes[0].uppercased().replacingOccurrences(of: "-", with: " "), userID: user.id, now: start))
        #expect(try !store.useRecoveryCode(codes[0], userID: user.id, now: start + 1))
        #expect(try store.useRecoveryCode(codes[1], userID: user.id, now: start + 2))
        #expect(try !store.useRecoveryCode("", userID: user.id, now: start))
        #expect(try !store.useRecoveryCode("0000-0000-0000-0000", userID: user.id, now: start))

        let renewed = try store.replaceRecoveryCodes(confirmedBy: fixture.confirmed(user.id, at: start + 3), now: start + 3)
        #expect(Set(renewed).isDisjoint(with: codes))
        #expect(try !store.useRecoveryCode(codes[2], userID: user.id, now: start + 4))
        #expect(try store.useRecoveryCode(renewed[9], userID: user.id, now: start + 4))
        #expect(throws: AccountError.self) { try store.firstRecoveryCodes(for: 999, now: start) }
    }
}
