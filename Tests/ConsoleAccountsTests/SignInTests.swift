import ConsoleAccounts
import Foundation
import GRDB
import Testing

@Suite("console accounts: sign-in and lockout")
struct SignInTests {
    let fixture: ConsoleFixture
    let user: ConsoleUser
    var store: AccountStore { fixture.store }
    let start = ConsoleFixture.start

    init() throws {
        fixture = try ConsoleFixture()
        user = try fixture.addUser()
    }

    func attempt(_ username: String, _ password: String, from address: String = "192.0.2.1", at seconds: Double)
        throws -> SignInResult
    {
        try store.authenticate(username: username, password: password, from: address, now: start + seconds)
    }

    /// An attempt as `amina`.
    func attempt(_ password: String, from address: String = "192.0.2.1", at seconds: Double) throws -> SignInResult {
        try attempt("amina", password, from: address, at: seconds)
    }

    @Test("the right password signs in (username in any case); a wrong one, an unknown username and a disabled account are all refused alike")
    func answers() throws {
        #expect(try attempt(" Amina ", ConsoleFixture.password, at: 0) == .signedIn(user))
        #expect(try attempt("amina", "a long enough passphrasE", at: 1) == .refused)
        #expect(try attempt("nobody", ConsoleFixture.password, at: 2) == .refused)
        #expect(try attempt("x", ConsoleFixture.password, at: 3) == .refused)
        #expect(try attempt("amina", String(repeating: "p", count: 5_000), at: 4) == .refused)
        try store.setDisabled(true, of: user.id)
        #expect(try attempt("amina", ConsoleFixture.password, at: 5) == .refused)
    }

    @Test("an unknown username is answered like a wrong password, and its attempt is recorded the same way")
    func unknownUserWork() throws {
        // The work itself (a dummy argon2id verification for an unknown name) is what makes the
        // answers take alike; it is not timed here: tests assert no durations.
        #expect(try attempt("nobody-here", "wrong password 0", from: "198.51.100.1", at: 0) == .refused)
        #expect(try attempt("amina", "wrong password 1", from: "198.51.100.2", at: 1) == .refused)
        let outcomes = try fixture.values(of: "sign_in_attempt").compactMap { String.fromDatabaseValue($0) }
        #expect(outcomes.filter { $0 == "failure" }.count == 2)
    }

    @Test("5 failures within 15 minutes lock the username for 15 minutes after the 5th, even for the right password; then it signs in")
    func usernameLockout() throws {
        for index in 0..<4 { #expect(try attempt("wrong password!", at: Double(index) * 60) == .refused) }
        #expect(try attempt("wrong password!", at: 600) == .refused)
        let until = start + 600 + 15 * 60
        #expect(try attempt(ConsoleFixture.password, at: 601) == .lockedOut(until: until))
        // Attempts while locked are not counted: the lock ends on time.
        for index in 0..<10 { #expect(try attempt("wrong password!", at: 700 + Double(index)) == .lockedOut(until: until)) }
        #expect(try attempt(ConsoleFixture.password, from: "203.0.113.9", at: 600 + 15 * 60 - 1) == .lockedOut(until: until))
        #expect(try attempt(ConsoleFixture.password, at: 600 + 15 * 60) == .signedIn(user))
        let outcomes = try fixture.values(of: "sign_in_attempt").compactMap { String.fromDatabaseValue($0) }
        #expect(outcomes.filter { $0 == "locked" }.count == 12)
        #expect(outcomes.filter { $0 == "failure" }.count == 5)
    }

    @Test("5 failures spread over more than 15 minutes do not lock")
    func spreadFailures() throws {
        for index in 0..<8 { #expect(try attempt("wrong password!", at: Double(index) * 240) == .refused) }
        #expect(try attempt(ConsoleFixture.password, at: 8 * 240) == .signedIn(user))
    }

    @Test("an unknown username locks exactly as an existing one: the lockout tells nothing")
    func unknownUsernameLocks() throws {
        for index in 0..<5 {
            #expect(try attempt("amina", "wrong password!", at: Double(index)) == .refused)
            #expect(try attempt("nobody", "wrong password!", at: Double(index)) == .refused)
        }
        #expect(try attempt("amina", "whatever password", at: 10) == .lockedOut(until: start + 4 + 900))
        #expect(try attempt("nobody", "whatever password", at: 10) == .lockedOut(until: start + 4 + 900))
    }

    @Test("a successful sign-in clears the username's failures")
    func successResets() throws {
        for index in 0..<4 { #expect(try attempt("wrong password!", at: Double(index)) == .refused) }
        #expect(try attempt(ConsoleFixture.password, at: 5) == .signedIn(user))
        for index in 0..<4 { #expect(try attempt("wrong password!", at: 6 + Double(index)) == .refused) }
        #expect(try attempt(ConsoleFixture.password, at: 20) == .signedIn(user))
    }

    @Test("20 failures from one address lock it for every username; another address is not locked, and a success does not clear it")
    func addressLockout() throws {
        let other = try fixture.addUser("karim")
        for index in 0..<19 {
            #expect(try attempt("user\(index)", "wrong password!", from: "192.0.2.50", at: Double(index)) == .refused)
        }
        #expect(try attempt("karim", ConsoleFixture.password, from: "192.0.2.50", at: 19) == .signedIn(other))
        #expect(try attempt("user19", "wrong password!", from: "192.0.2.50", at: 20) == .refused)
        #expect(try attempt("amina", ConsoleFixture.password, from: "192.0.2.50", at: 21) == .lockedOut(until: start + 20 + 900))
        #expect(try attempt("amina", ConsoleFixture.password, from: "192.0.2.51", at: 22) == .signedIn(user))
    }

    @Test("attempts older than the retention are pruned, and never more than the bound are kept")
    func attemptsBounded() throws {
        var policy = AccountPolicy()
        policy.maximumStoredAttempts = 10
        let small = try ConsoleFixture(policy: policy)
        try small.addUser()
        for index in 0..<15 {
            _ = try small.store.authenticate(
                username: "u\(index)", password: "wrong password!", from: "192.0.2.\(index)", now: start + Double(index))
        }
        #expect(try small.values(of: "sign_in_attempt").count / 5 == 10)
        _ = try small.store.authenticate(username: "amina", password: "wrong password!", from: "192.0.2.1", now: start + 86_400 + 60)
        #expect(try small.values(of: "sign_in_attempt").count / 5 == 1)
    }
}
