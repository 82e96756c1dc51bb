import Clearance
import Exchange
import Foundation
import Testing

@Suite("BulletinAccessFacts from a bulletin's JSON")
struct BulletinAccessFactsTests {
    static func facts(_ json: String) -> BulletinAccessFacts? {
        BulletinAccessFacts(bulletinJSON: Array(json.utf8), isOwn: false, origin: "DZ")
    }

    @Test("reads tlp, workingGroup and handling, nothing else")
    func reads() throws {
        let facts = try #require(Self.facts(#"{"id":"DZ-1","tlp":"AMBER+STRICT","workingGroup":"customs","handling":["not-for-third-states","law-enforcement-use-only"],"title":{"fr":"x"}}"#))
        #expect(facts == BulletinAccessFacts(tlp: .amberStrict, workingGroup: .customs, handling: ["not-for-third-states", "law-enforcement-use-only"], origin: "DZ", isOwn: false))
        let bare = try #require(Self.facts(#"{"tlp":"CLEAR","workingGroup":"justice"}"#))
        #expect(bare.handling.isEmpty && bare.workingGroup == .justice && bare.tlp == .clear)
    }

    @Test("a missing or unknown working group reads as none (readers refused)")
    func unknownGroup() throws {
        #expect(try #require(Self.facts(#"{"tlp":"GREEN"}"#)).workingGroup == nil)
        #expect(try #require(Self.facts(#"{"tlp":"GREEN","workingGroup":"space"}"#)).workingGroup == nil)
        #expect(try #require(Self.facts(#"{"tlp":"GREEN","workingGroup":7}"#)).workingGroup == nil)
    }

    @Test("not an object, no valid tlp, or handling not an array of strings: nil", arguments: [
        "", "[]", "null", "{", #"{"workingGroup":"customs"}"#, #"{"tlp":"AMBER-ISH"}"#, #"{"tlp":4}"#,
        #"{"tlp":"RED","handling":"law-enforcement-use-only"}"#, #"{"tlp":"RED","handling":[1]}"#,
    ])
    func refused(json: String) {
        #expect(Self.facts(json) == nil)
    }
}
