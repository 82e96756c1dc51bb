import BulletinSchema
import Foundation
import STIX
import Testing

/// Attachments (schema 1.2) as `artifact`s and `note`s (docs/STIX.md, "Attachments").
@Suite("STIX attachments")
struct STIXAttachmentTests {
    static let base = "https://console.example.org"
    static let photoHash = String(repeating: "3f", count: 32)
    static let pdfHash = String(repeating: "a1", count: 32)
    static let photoKey = "SECRETkey0123456789_-abcdefghijklmnopqrstuv"
    static let pdfKey = "OTHERkey0123456789_-abcdefghijklmnopqrstuvw"

    /// drug-trafficking as a 1.2 bulletin with a captioned photo of the suspect `p1` and a PDF
    /// without caption.
    static func bulletin() throws -> JSONValue {
        let example = try #require(Repository.examplesByName["drug-trafficking"])
        let attachments: JSONValue = .array([
            .object([
                "sha256": .string(photoHash), "mediaType": .string("image/jpeg"), "size": .integer(48_213),
                "fileName": .string("suspect-p1.jpg"),
                "caption": .object([
                    "fr": .string("Le suspect au poste frontière"), "ar": .string("المشتبه به في المعبر"),
                    "en": .string("The suspect at the crossing"),
                ]),
                "shows": .string("p1"), "key": .string(photoKey),
            ]),
            .object([
                "sha256": .string(pdfHash), "mediaType": .string("application/pdf"), "size": .integer(1_200),
                "fileName": .string("proces-verbal.pdf"), "key": .string(pdfKey),
            ]),
        ])
        let bulletin = example.setting("schemaVersion", .string("1.2.0")).setting("attachments", attachments)
        // The schemas accept it: it is a bulletin a node may hold.
        #expect(Repository.catalog.failures(in: CanonicalJSON.bytes(bulletin)).isEmpty)
        return bulletin
    }

    static func mapper(base: String?) -> STIXMapper {
        STIXMapper(
            crossingPoints: Repository.catalog.crossingPoints, options: STIXMapper.Options(attachmentBase: base))
    }

    @Test("each file is an artifact: its SHA-256, its type, the console's url; the id is STIX's deterministic one")
    func artifacts() throws {
        let bulletin = try Self.bulletin()
        let objects = try Self.mapper(base: Self.base + "/").objects(for: bulletin)
        let artifacts = objects.filter { $0.type == "artifact" }
        #expect(artifacts.count == 2)
        let photo = try #require(artifacts.first?.content)
        // Python: "artifact--" + str(uuid.uuid5(uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"),
        // '{"hashes":{"SHA-256":"3f3f…"}}')), and stix2.Artifact(hashes=…, url=…).id: the same.
        #expect(photo["id"] == .string("artifact--dc6babc8-eb49-5a0c-ad96-a50d3b85b4d7"))
        #expect(STIXIdentifier.artifactID(sha256: Self.photoHash) == "artifact--dc6babc8-eb49-5a0c-ad96-a50d3b85b4d7")
        #expect(photo["hashes"] == .object(["SHA-256": .string(Self.photoHash)]))
        #expect(photo["mime_type"] == .string("image/jpeg"))
        #expect(
            photo["url"]
                == .string("https://console.example.org/bulletins/DZ-01JFK6SY9541SJ3EQHB6GD1GHC/attachments/1"))
        #expect(photo["spec_version"] == .string("2.1"))
        // An SCO: no created, modified or creator; the bulletin's TLP.
        #expect(photo["created"] == nil && photo["modified"] == nil && photo["created_by_ref"] == nil)
        #expect(photo["object_marking_refs"] == .array([.string(TLPMarking.amber.id)]))
        let pdf = try #require(artifacts.last?.content)
        #expect(pdf["mime_type"] == .string("application/pdf"))
        #expect(pdf["url"]?.stringValue?.hasSuffix("/attachments/2") == true)

        // The report refers to them; the same file in another bulletin is the same artifact.
        let report = try #require(objects.first { $0.type == "report" }?.content)
        let refs = Set((report["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(artifacts.allSatisfy { refs.contains($0.id) })
        let other = try Self.bulletin().setting("id", .string("DZ-01JFK6SY9541SJ3EQHB6GD1GHD"))
        let again = try Self.mapper(base: Self.base).objects(for: other).filter { $0.type == "artifact" }
        #expect(again.map(\.id) == artifacts.map(\.id))
        #expect(try Self.mapper(base: Self.base).objects(for: bulletin) == objects)
    }

    @Test("the file's key is nowhere in the bundle, with or without a base, in either profile")
    func noKey() throws {
        let bulletin = try Self.bulletin()
        for base in [Self.base, nil] {
            for profile in STIXProfile.allCases {
                let objects = profile.apply(try Self.mapper(base: base).objects(for: bulletin))
                var writer = STIXBundleWriter()
                let text = String(
                    decoding: writer.begin(id: "bundle--x") + writer.add(objects) + writer.end(), as: UTF8.self)
                #expect(!text.contains(Self.photoKey) && !text.contains(Self.pdfKey), "\(profile) \(base ?? "no base")")
                #expect(!text.contains("\"key\""))
            }
        }
    }

    @Test("the caption: the note's content in the bulletin's language, the others in a language-content")
    func caption() throws {
        let objects = try Self.mapper(base: Self.base).objects(for: try Self.bulletin())
        let notes = objects.filter {
            $0.type == "note" && $0.content["abstract"]?.stringValue?.hasPrefix("Attachment") == true
        }
        #expect(notes.count == 2)
        let photo = try #require(notes.first?.content)
        #expect(photo["abstract"] == .string("Attachment 1: suspect-p1.jpg (image/jpeg, 48213 bytes)."))
        // The bulletin's title is French and Arabic: its language is French.
        #expect(photo["content"] == .string("Le suspect au poste frontière"))
        #expect(photo["lang"] == .string("fr"))
        let translation = try #require(
            objects.first { $0.type == "language-content" && $0.content["object_ref"]?.stringValue == notes.first?.id }?
                .content)
        #expect(
            translation["contents"]
                == .object([
                    "ar": .object(["content": .string("المشتبه به في المعبر")]),
                    "en": .object(["content": .string("The suspect at the crossing")]),
                ]))
        let pdf = try #require(notes.last?.content)
        #expect(
            pdf["content"] == .string("File attached to the bulletin: proces-verbal.pdf (application/pdf, 1200 bytes).")
        )
        #expect(pdf["lang"] == nil)
    }

    @Test("the observable the file shows: a related-to from the artifact, and the note refers to it")
    func shows() throws {
        let objects = try Self.mapper(base: Self.base).objects(for: try Self.bulletin())
        let suspect = try #require(
            objects.first {
                $0.content["extensions"]?[BorderNetExtension.id]?["observable"]?["localId"] == .string("p1")
            })
        let artifact = STIXIdentifier.artifactID(sha256: Self.photoHash)
        let relationships = objects.filter {
            $0.type == "relationship" && $0.content["source_ref"]?.stringValue == artifact
        }
        #expect(relationships.count == 1)
        let relationship = try #require(relationships.first?.content)
        #expect(relationship["relationship_type"] == .string("related-to"))
        #expect(relationship["target_ref"] == .string(suspect.id))
        let note = try #require(objects.first { $0.type == "note" && $0.content["lang"] != nil }?.content)
        let refs = (note["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(refs.contains(artifact) && refs.contains(suspect.id))
        // The PDF shows nothing: no relationship from its artifact.
        let pdf = STIXIdentifier.artifactID(sha256: Self.pdfHash)
        #expect(!objects.contains { $0.content["source_ref"]?.stringValue == pdf })
    }

    @Test("without a base: no artifact (STIX requires its content or a url); the note gives the SHA-256")
    func withoutBase() throws {
        let objects = try Self.mapper(base: nil).objects(for: try Self.bulletin())
        #expect(!objects.contains { $0.type == "artifact" })
        #expect(!objects.contains { $0.content["source_ref"]?.stringValue?.hasPrefix("artifact--") == true })
        let abstracts = objects.compactMap { $0.content["abstract"]?.stringValue }.filter { $0.hasPrefix("Attachment") }
        #expect(abstracts.count == 2)
        #expect(abstracts.allSatisfy { $0.contains("SHA-256") && $0.contains("not in this bundle") })
        // Every reference resolves.
        let ids = Set(objects.map(\.id))
        for object in objects {
            for ref in (object.content["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue) {
                #expect(ids.contains(ref), "\(object.id) → \(ref)")
            }
        }
    }

    @Test("a correction that drops an attachment revokes its note, never the artifact (an SCO has no versions)")
    func correction() throws {
        let first = try Self.bulletin()
        let second = first.setting("id", .string("DZ-01JFK6SY9541SJ3EQHB6GD1GHD"))
            .setting("corrects", .string("DZ-01JFK6SY9541SJ3EQHB6GD1GHC"))
            .setting("reportedAt", .string("2025-03-15T08:15:00Z"))
            .setting("attachments", .array([]))
        let bundle = try STIXBundle.bytes(of: [first, second], mapper: Self.mapper(base: Self.base))
        let parsed = try JSONParser().parse(bundle)
        let objects = (parsed["objects"]?.arrayValue ?? [])
        #expect(!objects.contains { $0["type"] == .string("artifact") && $0["revoked"] != nil })
        #expect(objects.filter { $0["type"] == .string("artifact") }.count == 2, "each artifact written once")
        let revokedNotes = objects.filter { $0["type"] == .string("note") && $0["revoked"] == .bool(true) }
        #expect(revokedNotes.count == 2)
        let ids = Set(objects.compactMap { $0["id"]?.stringValue })
        for object in objects {
            let refs =
                (object["object_refs"]?.arrayValue ?? [])
                + [object["source_ref"], object["target_ref"]].compactMap { $0 }
            for ref in refs.compactMap(\.stringValue) { #expect(ids.contains(ref), "\(ref)") }
        }
    }

    @Test("the import lists the artifacts and the attachments' notes as not mapped, and still gives the draft")
    func importListsThem() throws {
        let bulletin = try Self.bulletin()
        let bundle = try STIXBundle.bytes(of: [bulletin], mapper: Self.mapper(base: Self.base))
        let result = try STIXImporter(catalog: Repository.catalog).importBundle(bundle)
        let draft = try #require(result.drafts.count == 1 ? result.drafts.first : nil)
        let listed = Set(draft.notMapped.map(\.object))
        #expect(listed.contains(STIXIdentifier.artifactID(sha256: Self.photoHash)))
        #expect(listed.contains(STIXIdentifier.artifactID(sha256: Self.pdfHash)))
        #expect(draft.notMapped.filter { $0.object.hasPrefix("note--") }.count == 2)
        #expect(draft.notMapped.contains { $0.object.hasPrefix("language-content--") })
        #expect(result.notMapped.isEmpty, "\(result.notMapped)")
        #expect(draft.members["attachments"] == nil)
        #expect(draft.members["details"] == bulletin["details"])

        // A bundle of another producer with an artifact: listed too.
        let foreign = try importerBundle()
        let other = try STIXImporter(catalog: Repository.catalog).importBundle(foreign)
        let all = other.notMapped + other.drafts.flatMap(\.notMapped)
        #expect(all.contains { $0.object.hasPrefix("artifact--") })
    }

    func importerBundle() throws -> [UInt8] {
        let artifact = STIXIdentifier.artifactID(sha256: Self.pdfHash)
        let text = """
            {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000009", "objects": [
              {"type": "report", "spec_version": "2.1", "id": "report--00000000-0000-4000-8000-000000000001",
               "created": "2025-03-14T08:15:00.000Z", "modified": "2025-03-14T08:15:00.000Z", "name": "Seizure",
               "published": "2025-03-14T08:15:00.000Z", "object_refs": ["\(artifact)"]},
              {"type": "artifact", "spec_version": "2.1", "id": "\(artifact)", "mime_type": "application/pdf",
               "hashes": {"SHA-256": "\(Self.pdfHash)"}, "url": "https://misp.example/file.pdf"}
            ]}
            """
        return Array(text.utf8)
    }
}
