import Exchange
import Foundation
import NodeSetup
import Sodium
import Testing

/// `secretariat init` makes the roster key and the secretariat's node identity in one folder.
@Suite("Secretariat setup")
struct SecretariatSetupTests {
    @Test("the secretariat's folder holds its roster key and a node identity listed in the draft as secretariat")
    func secretariatNode() throws {
        let folder = try TemporaryFolder()
        let directory = SecretariatDirectory(path: folder.path("sec"))
        let rosterKey = try directory.create()
        let pinned = try String(contentsOfFile: folder.path("sec/secretariat.pub"), encoding: .utf8)
        let identity = try directory.createNode(state: StateCode("XS"), nodeName: "secretariat-1")
        #expect(try String(contentsOfFile: folder.path("sec/secretariat.pub"), encoding: .utf8) == pinned)
        #expect(try directory.node.loadSecretariatKey() == rosterKey)
        #expect(try directory.node.loadIdentity().card == identity.card)
        let draft = try directory.loadDraft()
        #expect(draft.members == [RosterMember(card: identity.card, role: .secretariat)])
        #expect(throws: SetupError.self) { try directory.createNode(state: StateCode("XS"), nodeName: "again") }

        let (roster, _) = try directory.signDraft(validityDays: 1)
        #expect(try directory.loadSignedRoster() == roster)
        #expect(try directory.node.loadRoster() == roster)  // the same folder is also XS's node folder, roster installed
    }

    @Test("a node folder with another pinned key is never overwritten")
    func otherPinnedKey() throws {
        let folder = try TemporaryFolder()
        let directory = SecretariatDirectory(path: folder.path("sec"))
        _ = try directory.create()
        try Data("00\n".utf8).write(to: URL(fileURLWithPath: folder.path("sec/secretariat.pub")))
        #expect(throws: SetupError.self) { try directory.createNode(state: StateCode("XS"), nodeName: "secretariat-1") }
    }
}
