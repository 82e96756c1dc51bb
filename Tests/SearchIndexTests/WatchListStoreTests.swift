import Clearance
import Exchange
import Foundation
import GRDB
import Observables
import SearchIndex
import Store
import Testing

/// A temporary folder removed when the test ends.
final class WatchTestFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bn-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite("Watch-lists: watchlists.sqlite")
struct WatchListStoreTests {
    let amina = WatchOwner.user("amina")

    @Test("an entry is added with its lookup keys, listed for its owner only, and read back after re-opening")
    func addListReopen() throws {
        let folder = try WatchTestFolder()
        let criterion = try WatchCriterion(kind: .document, value: "MAR:AB123456")
        let scope = ReadableScope.restricted(
            workingGroups: [.security], tlps: [.clear, .green, .amber], permittedHandling: ["not-for-third-states"])
        do {
            let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
            let entry = try store.add(
                owner: amina, criterion: criterion, label: "  passeport volé  ", scope: scope, nowMilliseconds: 1_000)
            #expect(entry.id == 1)
            #expect(entry.label == "passeport volé")
            #expect(try store.entries(of: .user("other")).isEmpty)
            #expect(try store.candidates(forKeys: criterion.lookupKeys).entries.map(\.id) == [1])
        }
        let reopened = try WatchListStore(path: folder.path("watchlists.sqlite"))
        let entries = try reopened.entries(of: amina)
        #expect(entries.count == 1)
        #expect(entries.first?.criterion == criterion)
        #expect(entries.first?.scope == scope)
        #expect(entries.first?.createdAtMilliseconds == 1_000)
    }

    @Test(
        "a second active entry of the same owner, kind and normalised value is refused, naming the first; another owner's is not"
    )
    func duplicates() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        let first = try store.add(
            owner: amina, criterion: try WatchCriterion(kind: .document, value: "MAR:AB123456"), label: nil,
            scope: .everything, nowMilliseconds: 1)
        #expect {
            _ = try store.add(
                owner: amina, criterion: try WatchCriterion(kind: .document, value: " mar:ab123456 "), label: "again",
                scope: .everything, nowMilliseconds: 2)
        } throws: { error in
            guard case WatchListError.duplicateEntry(let id) = error else { return false }
            return id == first.id && "\(error)".contains("already watches")
        }
        _ = try store.add(
            owner: .agency("douane"), criterion: try WatchCriterion(kind: .document, value: "MAR:AB123456"), label: nil,
            scope: .everything, nowMilliseconds: 3)
        #expect(try store.entries(of: amina).count == 1)
    }

    @Test(
        "candidates are bounded per owner: one owner's many entries on a key leave another owner's in, and are counted")
    func candidatesPerOwner() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        // Phones that share their last eight digits share a lookup key.
        let extra = 5
        for index in 0..<(WatchListStore.maximumCandidatesPerOwner + extra) {
            _ = try store.add(
                owner: amina, criterion: try WatchCriterion(kind: .phone, value: "+9\(1000 + index)12345678"),
                label: nil, scope: .everything, nowMilliseconds: 1)
        }
        let other = try store.add(
            owner: .user("karim"), criterion: try WatchCriterion(kind: .phone, value: "+21212345678"), label: nil,
            scope: .everything, nowMilliseconds: 2)
        let keys = try WatchCriterion(kind: .phone, value: "+21212345678").lookupKeys
        let (entries, heldBack) = try store.candidates(forKeys: keys)
        #expect(entries.count == WatchListStore.maximumCandidatesPerOwner + 1)
        #expect(entries.contains { $0.id == other.id })
        #expect(heldBack == extra)
        #expect(
            entries.filter { $0.owner == amina }.map(\.id) == Array(1...Int64(WatchListStore.maximumCandidatesPerOwner))
        )
    }

    @Test(
        "a batch's lookups give each bulletin what its own lookup gives: no keys, few keys, and more keys than a cached statement takes"
    )
    func batchedCandidates() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        let document = try WatchCriterion(kind: .document, value: "MAR:AB123456")
        let phone = try WatchCriterion(kind: .phone, value: "+21212345678")
        _ = try store.add(owner: amina, criterion: document, label: nil, scope: .everything, nowMilliseconds: 1)
        _ = try store.add(owner: .user("karim"), criterion: phone, label: nil, scope: .everything, nowMilliseconds: 2)
        let unrelated = Set((0..<(WatchListStore.maximumCachedLookupKeys + 3)).map { "unrelated:\($0)" })
        let keySets: [Set<String>] = [
            [], document.lookupKeys, phone.lookupKeys, document.lookupKeys.union(phone.lookupKeys),
            unrelated.union(phone.lookupKeys), unrelated, document.lookupKeys,
        ]
        let batched = try store.candidates(forKeysOf: keySets)
        #expect(batched.map { $0.entries.map(\.id) } == [[], [1], [2], [1, 2], [2], [], [1]])
        for (keys, result) in zip(keySets, batched) {
            let alone = try store.candidates(forKeys: keys)
            #expect(result.entries.map(\.id) == alone.entries.map(\.id))
            #expect(result.heldBack == alone.heldBack)
        }
        #expect(try store.candidates(forKeysOf: []).isEmpty)
        #expect(try store.candidates(forKeysOf: [[], []]).map(\.entries.count) == [0, 0])
    }

    @Test("an owner keeps at most 1,000 entries; a removed one frees a place; another owner is not counted")
    func limit() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        for index in 0..<WatchListStore.maximumEntriesPerOwner {
            _ = try store.add(
                owner: amina, criterion: try WatchCriterion(kind: .incidentType, value: "type-\(index)"), label: nil,
                scope: .everything,
                nowMilliseconds: 1)
        }
        let extra = try WatchCriterion(kind: .incidentType, value: "migrant-smuggling")
        #expect {
            _ = try store.add(owner: amina, criterion: extra, label: nil, scope: .everything, nowMilliseconds: 2)
        } throws: { error in
            guard case WatchListError.tooManyEntries(_, let maximum) = error else { return false }
            return maximum == 1_000 && "\(error)".contains("remove some")
        }
        _ = try store.add(owner: .operatorOfNode, criterion: extra, label: nil, scope: .everything, nowMilliseconds: 2)
        try store.remove(entry: 7, owner: amina, nowMilliseconds: 3)
        _ = try store.add(owner: amina, criterion: extra, label: nil, scope: .everything, nowMilliseconds: 4)
        #expect(try store.entries(of: amina).count == 1_000)
    }

    @Test("removal: only by its owner, once; the entry stops being a candidate and keeps its number")
    func removal() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        let criterion = try WatchCriterion(kind: .crossingPoint, value: "MA-DZ-01")
        let first = try store.add(
            owner: amina, criterion: criterion, label: nil, scope: .everything, nowMilliseconds: 1)
        #expect(throws: WatchListError.self) {
            try store.remove(entry: first.id, owner: .agency("douane"), nowMilliseconds: 2)
        }
        #expect(throws: WatchListError.self) { try store.remove(entry: 99, owner: amina, nowMilliseconds: 2) }
        #expect(try store.entries(of: amina).map(\.id) == [first.id])
        try store.remove(entry: first.id, owner: amina, nowMilliseconds: 2)
        #expect(throws: WatchListError.self) { try store.remove(entry: first.id, owner: amina, nowMilliseconds: 3) }
        #expect(try store.entries(of: amina).isEmpty)
        #expect(try store.candidates(forKeys: criterion.lookupKeys).entries.isEmpty)
        let second = try store.add(
            owner: amina, criterion: criterion, label: nil, scope: .everything, nowMilliseconds: 4)
        #expect(second.id == first.id + 1)
    }

    @Test(
        "hostile values: labels too long or with line breaks, owners with control characters, scopes that do not read; nothing is stored"
    )
    func hostile() throws {
        let folder = try WatchTestFolder()
        let store = try WatchListStore(path: folder.path("watchlists.sqlite"))
        let criterion = try WatchCriterion(kind: .name, value: "Mohamed Ben Youssef")
        for label in [String(repeating: "x", count: 201), "one\nline", "tab\there"] {
            #expect(throws: WatchListError.self) {
                try store.add(owner: amina, criterion: criterion, label: label, scope: .everything, nowMilliseconds: 1)
            }
        }
        for owner in [
            "user:", "user:a\nb", "agency:\u{0}", "user: amina", "root", "user:" + String(repeating: "a", count: 65),
            "operator:x",
        ] {
            #expect(WatchOwner(owner) == nil, "\(owner.debugDescription)")
        }
        #expect(WatchOwner("user:أمينة") == .user("أمينة"))
        for json in [
            #"{"kind":"all"}"#, #"{"kind":"restricted","workingGroups":["police"],"tlps":["GREEN"]}"#,
            #"{"kind":"restricted","workingGroups":["security"],"tlps":["PURPLE"]}"#,
            #"{"kind":"everything","tlps":["RED"]}"#, "[]", "",
            #"{"kind":"restricted","workingGroups":["security"]}"#,
        ] {
            #expect(throws: WatchListError.self, "\(json)") {
                try store.add(
                    owner: amina, criterion: criterion, label: nil, scopeJSON: Array(json.utf8), nowMilliseconds: 1)
            }
        }
        #expect(try store.entries(of: amina).isEmpty)
        for (kind, value) in [(WatchKind.name, ""), (.document, "   "), (.name, String(repeating: "م", count: 201))] {
            #expect(throws: WatchCriterionError.self) { try WatchCriterion(kind: kind, value: value) }
        }
    }

    @Test(
        "a stored row that no longer reads is an error naming the row and column when the file is re-opened, not a trap"
    )
    func damagedRow() throws {
        let folder = try WatchTestFolder()
        let path = folder.path("watchlists.sqlite")
        do {
            let store = try WatchListStore(path: path)
            _ = try store.add(
                owner: amina, criterion: try WatchCriterion(kind: .document, value: "AB123456"), label: nil,
                scope: .everything, nowMilliseconds: 1)
        }
        for (column, value) in [("kind", "horoscope"), ("value", ""), ("scope", "{}"), ("owner", "nobody")] {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(
                    sql:
                        "UPDATE watch_entry SET kind = 'document', value = 'AB123456', scope = '{\"kind\":\"everything\"}', owner = 'user:amina'"
                )
                try db.execute(sql: "UPDATE watch_entry SET \(column) = ?", arguments: [value])
            }
            try queue.close()
            #expect {
                _ = try WatchListStore(path: path)
            } throws: { error in
                let text = "\(error)"
                return text.contains("'\(column)'") && text.contains("id 1")
            }
        }
    }
}

@Suite("Watch-lists: the scope of a user or an agency, as ClearancePolicy decides it")
struct WatchScopeTests {
    @Test(
        "a user never reads TLP:RED, an agency named for it does; unknown groups, TLPs and kinds are refused; the JSON reads back"
    )
    func readerScope() throws {
        func scope(_ groups: [String], _ tlp: String, agency: Bool) throws -> ReadableScope {
            let json = try WatchScopeJSON.readerScope(
                workingGroups: groups, highestTLP: tlp, agencyKind: "law-enforcement", agency: agency
            ).get()
            return try WatchScopeJSON.decode(Array(json.utf8)).get()
        }
        guard case .restricted(let groups, let tlps, let handling) = try scope(["security"], "RED", agency: false)
        else {
            Issue.record("not restricted")
            return
        }
        #expect(groups == [.security] && !tlps.contains(.red) && tlps.contains(.amberStrict))
        #expect(!handling.contains("no-further-dissemination") && handling.contains("law-enforcement-use-only"))
        guard case .restricted(_, let agencyTLPs, _) = try scope(["customs"], "RED", agency: true) else {
            Issue.record("not restricted")
            return
        }
        #expect(agencyTLPs.contains(.red))
        #expect(try scope([], "GREEN", agency: false) == .nothing)
        for (groups, tlp, kind) in [
            (["police"], "GREEN", "other"), (["security"], "PURPLE", "other"), (["security"], "GREEN", "army"),
        ] {
            #expect(throws: WatchScopeError.self) {
                try WatchScopeJSON.readerScope(workingGroups: groups, highestTLP: tlp, agencyKind: kind, agency: false)
                    .get()
            }
        }
    }
}
