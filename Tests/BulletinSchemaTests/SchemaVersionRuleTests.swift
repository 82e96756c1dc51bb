import BulletinSchema
import Foundation
import Testing

/// A bulletin that declares 1.0.0 must be one a 1.0 node accepts: what 1.1 added (`x-since`) is
/// refused in it, so an origin that checks only the declared version (issue 15: versions between
/// nodes) can never send a 1.0 recipient a bulletin it would refuse.
@Suite("x-since: a 1.0 bulletin uses only what 1.0 had")
struct SchemaVersionRuleTests {
    static func migrantSmuggling(declaring version: String) throws -> [String: JSONValue] {
        var members = try BulletinTests.example("migrant-smuggling.json")
        members["schemaVersion"] = .string(version)
        return members
    }

    /// The bulletin without anything 1.1 added: the observables, the report kind, handling codes,
    /// validity and the crossing point code.
    static func withoutObservables(_ members: [String: JSONValue]) throws -> [String: JSONValue] {
        var members = members
        for name in ["reportKind", "handling", "validUntil"] { members[name] = nil }
        var location = try #require(members["location"]?.objectValue)
        location["crossingPoint"] = nil
        members["location"] = .object(location)
        var details = try #require(members["details"]?.objectValue)
        for name in ["people", "documents", "vessels", "aircraft", "phones", "organisations", "places"] { details[name] = nil }
        members["details"] = .object(details)
        return members
    }

    @Test("1.1 members in a bulletin declaring 1.0.0 are refused at each member, naming the version to declare")
    func newMembersRefused() throws {
        let catalog = try Repository.loadedCatalog()
        let members = try Self.migrantSmuggling(declaring: "1.0.0")
        let failures = catalog.failures(in: BulletinTests.bytes(members))
        #expect(Set(failures.map(\.keyword)) == ["x-since"], "\(failures)")
        #expect(
            failures.map(\.pointer.description)
                == ["/details/people", "/details/phones", "/details/places", "/handling", "/location/crossingPoint", "/reportKind"])
        #expect(failures.first?.reason == .addedInLaterVersion(member: "people", since: "1.1", declared: "1.0.0"))
        #expect(failures.first?.message(in: .en).contains("declare schemaVersion 1.1.0") == true)
    }

    @Test("the same bulletin without them is a valid 1.0 bulletin, and the 1.1 one is valid as declared")
    func oldShapeAccepted() throws {
        let catalog = try Repository.loadedCatalog()
        #expect(catalog.failures(in: BulletinTests.bytes(try Self.withoutObservables(Self.migrantSmuggling(declaring: "1.0.0")))).isEmpty)
        #expect(catalog.failures(in: BulletinTests.bytes(try Self.migrantSmuggling(declaring: "1.1.0"))).isEmpty)
    }

    @Test("a member 1.1 added to the 1.0 vehicle is refused in a 1.0 bulletin, deep in its array")
    func newVehicleMemberRefused() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.withoutObservables(Self.migrantSmuggling(declaring: "1.0.0"))
        var details = try #require(members["details"]?.objectValue)
        var vehicle = try #require(details["vehicles"]?.arrayValue?.first?.objectValue)
        vehicle["role"] = .string("transport")
        details["vehicles"] = .array([.object(vehicle)])
        members["details"] = .object(details)
        let failures = catalog.failures(in: BulletinTests.bytes(members))
        #expect(failures.map(\.pointer.description) == ["/details/vehicles/0/role"])
        #expect(failures.map(\.keyword) == ["x-since"])
    }

    @Test("an incident type added in 1.1 is refused in a bulletin declaring 1.0.0, at the type")
    func newTypeRefused() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.withoutObservables(BulletinTests.example("terrorist-threat.json"))
        members["schemaVersion"] = .string("1.0.0")
        let failures = catalog.failures(in: BulletinTests.bytes(members))
        #expect(failures.map(\.pointer.description) == ["/incidentType"])
        #expect(failures.first?.reason == .addedInLaterVersion(member: "terrorist-threat", since: "1.1", declared: "1.0.0"))
    }

    @Test("the common fields 1.1 added are refused in a 1.0 bulletin", arguments: ["reportKind", "handling", "validUntil"])
    func newCommonFieldRefused(field: String) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.withoutObservables(Self.migrantSmuggling(declaring: "1.0.0"))
        let values: [String: JSONValue] = [
            "reportKind": .string("seizure"), "handling": .array([.string("law-enforcement-use-only")]),
            "validUntil": .string("2031-01-01T00:00:00Z"),
        ]
        members[field] = values[field]
        let failures = catalog.failures(in: BulletinTests.bytes(members))
        #expect(failures.map(\.pointer.description) == ["/\(field)"] && failures.map(\.keyword) == ["x-since"], "\(failures)")
    }

    @Test("x-since must be MAJOR.MINOR")
    func malformedSince() throws {
        let schemas = try ProbeSchemas(field: #"{"type": "string", "x-since": "1.1.0"}"#)
        defer { schemas.remove() }
        do {
            _ = try schemas.load()
            Issue.record("x-since 1.1.0 accepted")
        } catch {
            guard case .invalidKeywordValue(_, _, "x-since", _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    // MARK: - Against the real 1.0 schemas (Tests/Fixtures/Schemas-1.0.0)

    static let onePointZero = Repository.root.appendingPathComponent("Tests/Fixtures/Schemas-1.0.0")

    /// `value` without the member or element at `tokens`.
    static func removing(_ tokens: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = tokens.first else { return value }
        switch value {
        case .object(var members):
            if tokens.count == 1 {
                members[first] = nil
            } else if let member = members[first] {
                members[first] = removing(tokens.dropFirst(), from: member)
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { return value }
            if tokens.count == 1 {
                elements.remove(at: index)
            } else {
                elements[index] = removing(tokens.dropFirst(), from: elements[index])
            }
            return .array(elements)
        default:
            return value
        }
    }

    @Test("the schemas of release 1.0 still load (they label no values)")
    func realOnePointZeroLoads() throws {
        let catalog = try SchemaCatalog.load(from: Self.onePointZero)
        #expect(catalog.version == SchemaVersion(major: 1, minor: 0, patch: 0))
        #expect(catalog.incidentTypes.count == 16)
    }

    @Test("every example, declared 1.0.0 and without what x-since marks, is accepted by the real 1.0 schemas; x-since marks exactly what they refuse")
    func examplesAgainstRealOnePointZero() throws {
        let current = try Repository.loadedCatalog()
        let old = try SchemaCatalog.load(from: Self.onePointZero)
        var checked = 0
        for url in Repository.jsonFiles(in: Repository.examples) {
            var members = try #require(try JSONParser().parse(Data(contentsOf: url)).objectValue)
            guard let type = members["incidentType"]?.stringValue, old.incidentType(type) != nil else { continue }
            members["schemaVersion"] = .string("1.0.0")
            let declaredOld = BulletinTests.bytes(members)
            let marked = current.failures(in: declaredOld)
            #expect(marked.allSatisfy { $0.keyword == "x-since" }, "\(url.lastPathComponent): \(marked)")
            let refusedByOld = old.failures(in: declaredOld)
            #expect(
                Set(refusedByOld.map(\.pointer.description)) == Set(marked.map(\.pointer.description)),
                "\(url.lastPathComponent): 1.0 refuses \(refusedByOld.map(\.pointer.description)), x-since marks \(marked.map(\.pointer.description))")
            var stripped = JSONValue.object(members)
            for failure in marked.reversed() { stripped = Self.removing(failure.pointer.tokens[...], from: stripped) }
            let bytes = Data(stripped.description.utf8)
            #expect(current.failures(in: bytes).isEmpty, "\(url.lastPathComponent) as 1.0 refused by 1.1")
            #expect(old.failures(in: bytes).isEmpty, "\(url.lastPathComponent) as 1.0 refused by the real 1.0: \(old.failures(in: bytes))")
            checked += 1
        }
        #expect(checked >= 18)
    }

    @Test("every field and value 1.1 added to what 1.0 had is marked x-since, at it or above it")
    func everyAdditionMarked() throws {
        let current = try Repository.loadedCatalog()
        let old = try SchemaCatalog.load(from: Self.onePointZero)
        func unmarked(_ new: [FieldDescription], _ previous: [FieldDescription], at path: String) -> [String] {
            var found: [String] = []
            for field in new {
                let here = path + "/" + field.name
                guard field.addedIn == nil else { continue }
                guard let before = previous.first(where: { $0.name == field.name }) else {
                    found.append(here)
                    continue
                }
                let oldValues = Set(before.allowedValues.map(\.value))
                for value in field.allowedValues where !oldValues.contains(value.value) && value.addedIn == nil && !before.allowedValues.isEmpty {
                    found.append(here + "=" + value.value)
                }
                found += unmarked(field.fields, before.fields, at: here)
            }
            return found
        }
        var problems = unmarked(current.bulletinFields.filter { $0.name != "incidentType" }, old.bulletinFields, at: "")
        for type in old.incidentTypes {
            let now = try #require(current.incidentType(type.id))
            problems += unmarked(now.fields, type.fields, at: type.id)
        }
        #expect(problems.isEmpty, "added in 1.1 without x-since: \(problems)")
    }

    @Test("every incident type 1.1 added is refused in a bulletin declaring 1.0.0", arguments: [
        "terrorist-threat", "foreign-terrorist-fighters", "arms-cache", "organised-crime-network",
    ])
    func everyNewTypeRefused(type: String) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.withoutObservables(BulletinTests.example("\(type).json"))
        members["schemaVersion"] = .string("1.0.0")
        #expect(catalog.failures(in: BulletinTests.bytes(members)).map(\.pointer.description) == ["/incidentType"])
    }

    @Test("x-since where it would not be enforced is refused at load")
    func misplacedSince() throws {
        let schemas = try ProbeSchemas(field: #"{"type": "array", "items": {"type": "string", "x-since": "1.1"}}"#)
        defer { schemas.remove() }
        do {
            _ = try schemas.load()
            Issue.record("x-since on items accepted")
        } catch {
            guard case .invalidKeywordValue(_, "/properties/v/items/x-since", "x-since", _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test("a value added to an existing enumeration (x-enum-since) is refused in a bulletin declaring an earlier version")
    func newEnumerationValue() throws {
        let schemas = try ProbeSchemas(
            field: #"{"enum": ["a", "b"], "x-enum-labels": {"a": {"ar": "أ", "fr": "A", "en": "A"}, "b": {"ar": "ب", "fr": "B", "en": "B"}}, "x-enum-since": {"b": "1.1"}}"#)
        defer { schemas.remove() }
        let catalog = try schemas.load()
        #expect(catalog.failures(in: ProbeSchemas.bulletin(#""a""#), stage: .draft).isEmpty)
        let failures = catalog.failures(in: ProbeSchemas.bulletin(#""b""#, version: "1.0.0"), stage: .draft)
        // The probe catalog is 1.1.0: "b" (since 1.1) is refused in a bulletin declaring 1.0.0.
        #expect(failures.map(\.keyword) == ["x-since"] && failures.map(\.pointer.description) == ["/details/v"])
        #expect(catalog.incidentType("probe")?.fields.first?.allowedValues.last?.addedIn == SchemaVersion(major: 1, minor: 1, patch: 0))
    }
}
