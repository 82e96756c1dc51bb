import BulletinSchema
import STIX
import TAXII
import Testing

/// The pure pieces: cursor, filters, media types, error bodies, collection ids.
@Suite("TAXII pure pieces")
struct TAXIIPureTests {
    @Test("a cursor round-trips and is bound to its request")
    func cursorRoundTrip() throws {
        let cursor = TAXIICursor(storedAt: 1_741_916_400_123, bulletinID: "DZ-01JFK6SY9541SJ3EQHB6GD1GHC", objectIndex: 17, fingerprint: 42)
        let text = cursor.text
        #expect(text.utf8.count <= TAXIICursor.maximumTextLength)
        #expect(try TAXIICursor(text: text, fingerprint: 42) == cursor)
        #expect(throws: TAXIIError.self) { try TAXIICursor(text: text, fingerprint: 43) }
    }

    @Test("a tampered cursor is refused with a 400, never read")
    func cursorTampering() throws {
        let text = TAXIICursor(storedAt: 5, bulletinID: "MA-01JFK6SY9541SJ3EQHB6GD1GHC", objectIndex: 1, fingerprint: 7).text
        var refused = 0
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for index in text.indices {
            for replacement in alphabet.prefix(8) where replacement != text[index] {
                var changed = text
                changed.replaceSubrange(index...index, with: String(replacement))
                do {
                    let cursor = try TAXIICursor(text: changed, fingerprint: 7)
                    // What still parses names only a position (the fingerprint held): a bulletin id
                    // of upper-case letters, digits and '-', nothing else.
                    #expect(cursor.bulletinID.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x2D })
                } catch {
                    #expect(error.status == 400)
                    refused += 1
                }
            }
        }
        #expect(refused > 0)
        for bad in ["", "====", "AAAA", String(repeating: "A", count: 200), text + "A", String(text.dropLast()), "ü" + text] {
            #expect(throws: TAXIIError.self) { try TAXIICursor(text: bad, fingerprint: 7) }
        }
        // An id with characters a bulletin id never has (SQL, path) is refused.
        let hostile = TAXIICursor(storedAt: 5, bulletinID: "MA-1' OR 1=1 --", objectIndex: 0, fingerprint: 7).text
        #expect(throws: TAXIIError.self) { try TAXIICursor(text: hostile, fingerprint: 7) }
    }

    @Test("filters: defaults, bounds and refusals")
    func filters() throws {
        let all: Set<String> = ["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"]
        let plain = try TAXIIRequestFilter(items: [], allowed: all)
        #expect(plain.limit == 100 && plain.versions == [.last] && plain.ids.isEmpty)
        let parsed = try TAXIIRequestFilter(
            items: [
                ("limit", "500"), ("match[type]", "report,incident"), ("match[version]", "all"),
                ("added_after", "2025-03-14T01:40:00.000Z"), ("match[id]", "report--0d8c4b4c-7b1a-5e1e-9f3d-4a0f6f6f6f6f"),
            ], allowed: all)
        #expect(parsed.limit == 100)
        #expect(parsed.types == ["report", "incident"])
        #expect(parsed.versions == [.all])
        #expect(parsed.addedAfter == STIXTimestamp(rfc3339: "2025-03-14T01:40:00.000Z"))
        let refusals: [[(name: String, value: String)]] = [
            [("limit", "0")], [("limit", "-1")], [("limit", "ten")], [("limit", "99999999999")], [("limit", "1"), ("limit", "2")],
            [("added_after", "yesterday")], [("added_after", "2025-03-14T01:40:00+01:00")], [("match[type]", "Report")],
            [("match[type]", "")], [("match[id]", "report--XYZ")], [("match[version]", "newest")], [("colour", "red")],
            [("match[type]", (0..<21).map { "type\($0)" }.joined(separator: ","))],
            Array(repeating: ("match[type]", "report"), count: 65),
        ]
        for items in refusals {
            #expect(throws: TAXIIError.self, "\(items.prefix(2))") { try TAXIIRequestFilter(items: items, allowed: all) }
        }
        #expect(throws: TAXIIError.self) { try TAXIIRequestFilter(items: [("match[id]", "x")], allowed: ["limit"]) }
        // A repeated match[…] is one list (docs/TAXII.md): merged, its values counted together.
        let merged = try TAXIIRequestFilter(items: [("match[type]", "report"), ("match[type]", "incident,note")], allowed: all)
        #expect(merged.types == ["report", "incident", "note"])
        let split = (0..<21).map { ("match[type]", "type\($0)") }
        #expect(throws: TAXIIError.self) { try TAXIIRequestFilter(items: split, allowed: all) }
        for name in ["added_after", "next"] {
            let value = name == "next" ? "AAAA" : "2025-03-14T01:40:00.000Z"
            #expect(throws: TAXIIError.self, "\(name) twice") {
                try TAXIIRequestFilter(items: [(name, value), (name, value)], allowed: all)
            }
        }
    }

    @Test("match[version] selects last, first, all or one version")
    func versions() throws {
        let a = try #require(STIXTimestamp(rfc3339: "2025-01-01T00:00:00.000Z"))
        let b = try #require(STIXTimestamp(rfc3339: "2025-01-02T00:00:00.000Z"))
        let c = try #require(STIXTimestamp(rfc3339: "2025-01-03T00:00:00.000Z"))
        var filter = TAXIIRequestFilter()
        #expect(!filter.admits(version: a, among: [a, b, c]) && filter.admits(version: c, among: [a, b, c]))
        filter.versions = [.first]
        #expect(filter.admits(version: a, among: [a, b, c]) && !filter.admits(version: c, among: [a, b, c]))
        filter.versions = [.all]
        #expect(filter.admits(version: b, among: [a, b, c]))
        filter.versions = [.at(b)]
        #expect(filter.admits(version: b, among: [a, b, c]) && !filter.admits(version: c, among: [a, b, c]))
        filter.versions = [.first, .last]
        #expect(filter.admits(version: a, among: [a, b, c]) && !filter.admits(version: b, among: [a, b, c]))
    }

    @Test("fingerprints differ with the filters and the collection, not with limit or next")
    func fingerprints() throws {
        var one = TAXIIRequestFilter()
        let base = one.fingerprint(scope: "objects/c1")
        #expect(base == one.fingerprint(scope: "objects/c1"))
        #expect(base != one.fingerprint(scope: "objects/c2"))
        one.limit = 5
        one.next = "x"
        #expect(base == one.fingerprint(scope: "objects/c1"))
        one.types = ["report"]
        #expect(base != one.fingerprint(scope: "objects/c1"))
    }

    @Test("Accept: the TAXII 2.1 media type or a wildcard, nothing else")
    func accept() {
        for header in [
            nil, "application/taxii+json;version=2.1", "application/taxii+json", "*/*", "application/*",
            "text/html, application/taxii+json; version=2.1; q=0.5", "APPLICATION/TAXII+JSON;VERSION=2.1",
        ] as [String?] {
            #expect(TAXIIMediaType.accepts(header), "\(header ?? "none")")
        }
        for header in [
            "application/json", "text/html", "application/taxii+json;version=2.0", "application/taxii+json;version=2.1;q=0",
            "application/stix+json;version=2.1", String(repeating: "a", count: 2_000),
        ] {
            #expect(!TAXIIMediaType.accepts(header), "\(header.prefix(60))")
        }
    }

    @Test("error bodies are TAXII error messages")
    func errorBodies() throws {
        let body = TAXIIError.badRequest("limit must be a whole number").body
        let value = try #require(try? JSONParser().parse(body))
        #expect(value["http_status"]?.stringValue == "400")
        #expect(value["title"]?.stringValue == "Bad request")
        #expect(value["description"]?.stringValue == "limit must be a whole number")
        #expect(TAXIIError.unauthorized.status == 401 && TAXIIError.notAcceptable.status == 406)
    }

    @Test("collection ids are UUIDv5, stable, and differ between agencies and collections")
    func collectionIDs() {
        let customs = TAXIICollectionKind.workingGroup("customs")
        #expect(customs.id(agency: "douane") == customs.id(agency: "douane"))
        #expect(customs.id(agency: "douane") != customs.id(agency: "police"))
        #expect(customs.id(agency: "douane") != TAXIICollectionKind.everything.id(agency: "douane"))
        #expect(TAXIICollectionKind.everything.id(agency: "douane").count == 36)
        #expect(Array(TAXIICollectionKind.everything.id(agency: "douane"))[14] == "5")
    }

    @Test("envelopes: more, next, objects; empty pages have no objects member")
    func envelopes() throws {
        let empty = try #require(try? JSONParser().parse(TAXIIResource.envelope(TAXIIPage(versions: [], next: nil))))
        #expect(empty["more"] == .bool(false) && empty["objects"] == nil && empty["next"] == nil)
        let object = STIXObject(id: "report--x", modified: "2025-01-01T00:00:00.000Z", content: .object(["id": .string("report--x")]))
        let added = STIXTimestamp(millisecondsSinceEpoch: 1_000)
        let page = TAXIIPage(
            versions: [TAXIIObjectVersion(object: object, dateAdded: added)],
            next: TAXIICursor(storedAt: 1, bulletinID: "MA-1", objectIndex: 1, fingerprint: 1))
        let full = try #require(try? JSONParser().parse(TAXIIResource.envelope(page)))
        #expect(full["more"] == .bool(true) && full["next"]?.stringValue == page.next?.text)
        let manifest = try #require(try? JSONParser().parse(TAXIIResource.manifest(page)))
        #expect(manifest["objects"]?.arrayValue?.first?["date_added"]?.stringValue == "1970-01-01T00:00:01.000Z")
        #expect(manifest["objects"]?.arrayValue?.first?["media_type"]?.stringValue == TAXIIMediaType.stix)
    }
}
