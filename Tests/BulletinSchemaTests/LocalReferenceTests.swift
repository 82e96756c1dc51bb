import BulletinSchema
import Foundation
import Testing

@Suite("linkedTo names only items the bulletin describes, each localId once")
struct LocalReferenceTests {
    /// `details.v` holds items with `localId` and `linkedTo`, as the observables of schema 1.1 do.
    static let items = #"{"type": "array", "items": {"type": "object", "properties": {"localId": {"type": "string", "x-labels": {"ar": "م", "fr": "I", "en": "I"}, "x-descriptions": {"ar": "م", "fr": "I", "en": "I"}}, "linkedTo": {"type": "array", "items": {"type": "string"}, "x-labels": {"ar": "م", "fr": "L", "en": "L"}, "x-descriptions": {"ar": "م", "fr": "L", "en": "L"}}}}}"#

    @Test("links between items that exist are accepted")
    func validLinks() throws {
        let schemas = try ProbeSchemas(field: Self.items)
        defer { schemas.remove() }
        let failures = try schemas.load().failures(in: ProbeSchemas.bulletin(#"[{"localId": "p1", "linkedTo": ["d1"]}, {"localId": "d1", "linkedTo": ["p1"]}]"#), stage: .draft)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("a link to a missing item is refused at the link")
    func danglingLink() throws {
        let schemas = try ProbeSchemas(field: Self.items)
        defer { schemas.remove() }
        let failures = try schemas.load().failures(in: ProbeSchemas.bulletin(#"[{"localId": "p1", "linkedTo": ["d1", "p1"]}]"#), stage: .draft)
        #expect(failures.map(\.pointer.description) == ["/details/v/0/linkedTo/0"])
        #expect(failures.first?.keyword == "x-local-reference")
        #expect(failures.first?.reason == .unknownLocalId(name: #""d1""#))
    }

    @Test("a localId used twice is refused at the second item, naming the first")
    func duplicateIdentifier() throws {
        let schemas = try ProbeSchemas(field: Self.items)
        defer { schemas.remove() }
        let failures = try schemas.load().failures(in: ProbeSchemas.bulletin(#"[{"localId": "p1"}, {"localId": "p1"}]"#), stage: .draft)
        #expect(failures.map(\.pointer.description) == ["/details/v/1/localId"])
        #expect(failures.first?.reason == .duplicateLocalId(name: #""p1""#, first: "/details/v/0/localId"))
    }
}
