import BulletinSchema
import Foundation
import Testing

@Suite("Schemas/examples")
struct ExampleTests {
    static let valid = Repository.jsonFiles(in: Repository.examples)
    static let invalid = Repository.jsonFiles(in: Repository.invalidExamples)

    @Test("every incident type has at least one valid example")
    func everyTypeHasAnExample() throws {
        let catalog = try Repository.loadedCatalog()
        let covered = Set(Self.valid.map { $0.lastPathComponent.split(separator: ".")[0] }.map(String.init))
        #expect(catalog.incidentTypes.count >= 12)
        for type in catalog.incidentTypes {
            #expect(covered.contains(type.id), "no Schemas/examples/\(type.id).json")
        }
    }

    @Test("a valid example passes", arguments: valid)
    func validExamplePasses(_ file: URL) throws {
        let catalog = try Repository.loadedCatalog()
        let data = try Data(contentsOf: file)
        let failures = catalog.failures(in: data)
        #expect(failures.isEmpty, "\(file.lastPathComponent): \(failures.map(\.description))")
        let bulletin = try catalog.validate(data)
        #expect(file.lastPathComponent.hasPrefix(bulletin.incidentType + "."))
        #expect(bulletin.id != nil)
    }

    @Test("an invalid example fails with the pointer and keyword it names", arguments: invalid)
    func invalidExampleFails(_ file: URL) throws {
        let catalog = try Repository.loadedCatalog()
        let parsed = try JSONParser().parse(try Data(contentsOf: file))
        let expected = try #require(parsed["x-expected-error"], "\(file.lastPathComponent) names no x-expected-error")
        let pointer = try #require(expected["pointer"]?.stringValue)
        let keyword = try #require(expected["keyword"]?.stringValue)
        guard case .object(var members) = parsed else {
            Issue.record("not an object")
            return
        }
        members["x-expected-error"] = nil
        let failures = catalog.failures(in: Data(JSONValue.object(members).description.utf8))
        #expect(!failures.isEmpty, "\(file.lastPathComponent) was accepted")
        #expect(
            failures.contains { $0.pointer.description == pointer && $0.keyword == keyword },
            "\(file.lastPathComponent): expected \(keyword) at \"\(pointer)\", got \(failures.map(\.description))")
        for failure in failures {
            for language in Language.allCases {
                #expect(!failure.message(in: language).isEmpty)
            }
        }
    }

    @Test("the x-expected-error member is itself refused, so invalid examples never pass as they are")
    func expectedErrorMemberIsUnknown() throws {
        let catalog = try Repository.loadedCatalog()
        let file = try #require(Self.invalid.first)
        let failures = catalog.failures(in: try Data(contentsOf: file))
        #expect(failures.contains { $0.pointer.description == "/x-expected-error" && $0.keyword == "additionalProperties" })
    }

    @Test("messages are rendered in Arabic, French and English")
    func messagesInThreeLanguages() throws {
        let catalog = try Repository.loadedCatalog()
        let data = try Data(contentsOf: Repository.examples.appendingPathComponent("wanted-person.json"))
        guard case .object(var members) = try JSONParser().parse(data) else { return }
        members["tlp"] = nil
        let failure = try #require(catalog.failures(in: Data(JSONValue.object(members).description.utf8)).first)
        #expect(failure.line(in: .en) == #"/tlp (TLP marking) [required]: required member "tlp" is missing"#)
        #expect(failure.line(in: .fr) == "/tlp (Marquage TLP) [required]: le champ obligatoire « tlp » est absent")
        #expect(failure.line(in: .ar) == "/tlp (تصنيف التداول (TLP)) [required]: الحقل الإلزامي «tlp» غير موجود")
    }
}
