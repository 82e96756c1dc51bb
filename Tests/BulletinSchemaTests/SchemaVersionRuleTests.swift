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
}
