import Exchange
import Foundation
import SearchIndex
import Testing
import Wire

/// Search and correlation between real nodes (issue 18): what a state posts is indexed at its
/// neighbour as it arrives, found across scripts, and linked to earlier bulletins.
@Suite("Search across a region of real nodes", .serialized)
struct SearchRegionTests {
    /// Posts `draft` (a JSON object) from `state`.
    func post(_ draft: [String: Any], from state: String, in region: RegionHarness) throws -> PostedBulletin {
        let file = region.root.appendingPathComponent("draft-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: draft).write(to: file)
        let output = try RegionHarness.bordernet(["post", "--data", try #require(region.nodes[state]).path, "--file", file.path, "--json"])
        return try JSONDecoder().decode(PostedBulletin.self, from: Data(output.utf8))
    }

    /// The document-fraud example with this title, person and documents (no id, no test marker).
    func documentFraud(title: [String: String], person: [String: String], passport: String, card: String) throws -> [String: Any] {
        let example = RegionHarness.schemas.appendingPathComponent("examples/document-fraud.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        object["id"] = nil
        object["x-expected-error"] = nil
        object["title"] = title
        var details = try #require(object["details"] as? [String: Any])
        details["holderName"] = person
        details["documentNumber"] = passport
        details["mrz"] = nil
        var people = try #require(details["people"] as? [[String: Any]])
        people[0]["name"] = person
        details["people"] = people
        var documents = try #require(details["documents"] as? [[String: Any]])
        documents[0]["documentNumber"] = card
        details["documents"] = documents
        object["details"] = details
        return object
    }

    /// The ids `bordernet search ARGUMENTS --json` finds at `state`.
    func searchIDs(_ arguments: [String], at state: String, in region: RegionHarness) -> [String] {
        guard let data = region.nodes[state],
            let output = try? RegionHarness.bordernet(["search"] + arguments + ["--data", data.path, "--json"])
        else { return [] }
        return output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test("a name posted in Arabic is found in Latin letters at the neighbour and the reverse; a passport links two bulletins")
    func acrossScriptsAndLinks() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("DZ", "MA")])
        for state in ["MA", "DZ"] { try region.start(state) }

        let arabic = try post(
            documentFraud(
                title: ["ar": "منتحل صفة يحمل جواز سفر بمطار محمد الخامس"], person: ["arabic": "محمد بن يوسف"], passport: "XK100001",
                card: "XK100002"),
            from: "MA", in: region)
        let latin = try post(
            documentFraud(
                title: ["fr": "Imposteur à Tlemcen"], person: ["latin": "BEN YOUSSEF Mohamed"], passport: "YK200001", card: "YK200002"),
            from: "DZ", in: region)

        let foundInLatin = waitUntil(seconds: 30) { searchIDs(["Mohamed Ben Youssef"], at: "DZ", in: region).contains(arabic.id) }
        #expect(foundInLatin, "\(searchIDs(["Mohamed Ben Youssef"], at: "DZ", in: region))\n\(region.log("DZ"))")
        let foundInArabic = waitUntil(seconds: 30) { searchIDs(["محمد بن يوسف"], at: "MA", in: region).contains(latin.id) }
        #expect(foundInArabic, "\(searchIDs(["محمد بن يوسف"], at: "MA", in: region))\n\(region.log("MA"))")
        // The Arabic title's words are found too, written with harakat.
        let titleWords = searchIDs(["بِمَطار الخامس"], at: "DZ", in: region)
        #expect(titleWords == [arabic.id], "\(titleWords)")

        // A later bulletin naming the same passport is linked to the first at the recipient.
        let later = try post(
            documentFraud(title: ["fr": "Même passeport, autre porteur"], person: ["latin": "HADDAD Karim"], passport: "XK100001", card: "ZZ999999"),
            from: "MA", in: region)
        let dzData = try #require(region.nodes["DZ"])
        var linked: [BulletinLink] = []
        let indexedAtDZ = waitUntil(seconds: 30) {
            guard let reader = try? SearchReader(path: dzData.appendingPathComponent("search.sqlite").path),
                let reference = try? BulletinReference(later.id), (try? reader.isIndexed(reference)) == true
            else { return false }
            linked = (try? reader.links(of: reference, scope: .everything)) ?? []
            return true
        }
        #expect(indexedAtDZ)
        #expect(linked.map(\.other.description) == [arabic.id], "\(linked)")
        #expect(linked.first?.kind == .identifier(.document))

        // `feed --json` prints each bulletin with its links.
        let feed = try RegionHarness.bordernet(["feed", "--data", dzData.path, "--json"])
        let lines = feed.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let laterLine = try #require(lines.first { $0["id"] as? String == later.id })
        let links = try #require(laterLine["links"] as? [[String: Any]])
        #expect(links.map { $0["id"] as? String } == [arabic.id])
        #expect(links.first?["kind"] as? String == "document")
        // Search by the passport's number.
        #expect(searchIDs(["--document", "XK100001"], at: "DZ", in: region).sorted() == [arabic.id, later.id].sorted())
        // No index yet elsewhere: a clear refusal.
        let empty = region.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let refusal = try RegionHarness.bordernet(["search", "x", "--data", empty.path], expectFailure: true)
        #expect(refusal.contains("no search index yet"), "\(refusal)")
    }
}
