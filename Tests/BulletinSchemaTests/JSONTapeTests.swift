import Foundation
import Testing

@_spi(Fuzzing) @testable import BulletinSchema

/// Validation reads a ``JSONTape``; everything else reads a ``JSONValue`` tree. The two readers
/// must accept the same documents, refuse the same ones with the same error, and agree on every
/// value: otherwise a bulletin could be validated as one thing and stored, shown or exported as
/// another.
@Suite("JSON tape: the same documents as the tree")
struct JSONTapeTests {
    let parser = JSONParser()

    /// What one reader made of `bytes`: the value and the text flags, or the error's text.
    private func outcomes(_ bytes: [UInt8], depth: Int = 64) -> (tree: String, tape: String) {
        let parser = JSONParser(maximumDepth: depth)
        let tree: String
        do {
            let parsed = try parser.parseNotingText(bytes)
            tree = "\(parsed.value) \(parsed.containsForbiddenText) \(parsed.containsLineBreak)"
        } catch {
            tree = "error \(error)"
        }
        let tape: String
        do {
            let parsed = try parser.parseTapeNotingText(bytes)
            tape = "\(parsed.tape.value(at: JSONTape.root)) \(parsed.containsForbiddenText) \(parsed.containsLineBreak)"
        } catch {
            tape = "error \(error)"
        }
        return (tree, tape)
    }

    @Test("every example bulletin, and 200 damaged copies of each, read the same or fail the same")
    func examplesAndDamagedCopies() throws {
        let files = Repository.jsonFiles(in: Repository.examples) + Repository.jsonFiles(in: Repository.invalidExamples)
        #expect(files.count >= 10)
        var state: UInt64 = 0x7A9E
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        let replacements = Array("{}[]\",:\\u0nte1.-\u{202E}é ".utf8)
        var failures = 0
        for file in files {
            let original = [UInt8](try Data(contentsOf: file))
            let (tree, tape) = outcomes(original)
            #expect(tree == tape, "\(file.lastPathComponent)")
            for _ in 0..<200 {
                var damaged = original
                for _ in 0..<(1 + random(3)) where !damaged.isEmpty {
                    let place = random(damaged.count)
                    switch random(3) {
                    case 0: damaged[place] = replacements[random(replacements.count)]
                    case 1: damaged.remove(at: place)
                    default: damaged.insert(replacements[random(replacements.count)], at: place)
                    }
                }
                let (tree, tape) = outcomes(damaged, depth: 1 + random(64))
                if tree != tape { failures += 1 }
                #expect(
                    tree == tape, "\(file.lastPathComponent): \(String(decoding: damaged.prefix(300), as: UTF8.self))")
                if failures > 3 { return }
            }
        }
    }

    @Test("a repeated member name is refused at the same offset, in small objects and in large ones")
    func repeatedNames() {
        let small = #"{"a":1,"b":{"c":2,"c":3},"a":4}"#
        let names = (0..<40).map { "\"m\($0)\":\($0)" }
        let large = "{" + (names + [#""m30":"again""#, #""m5":0"#]).joined(separator: ",") + "}"
        let escaped = #"{"\u0061":1,"a":2}"#
        for document in [small, large, escaped] {
            let (tree, tape) = outcomes(Array(document.utf8))
            #expect(tree.hasPrefix("error"))
            #expect(tree == tape, "\(document)")
        }
        #expect(outcomes(Array(large.utf8)).tape.contains("m30"))
    }

    @Test("members keep their order; values, counts and skips are right at every level")
    func structure() throws {
        let document = #"{"z":[1,2.5,{"y":null}],"a":"é","m":{"k":[[],{}],"t":true},"n":-0}"#
        let tape = try parser.parseTapeNotingText(Array(document.utf8)).tape
        let root = JSONTape.root
        var names: [String] = []
        tape.forEachMember(of: root) { name, _ in names.append(name) }
        #expect(names == ["z", "a", "m", "n"])
        let z = try #require(tape.member("z", of: root))
        #expect(tape.count(at: z) == 3)
        #expect(tape.value(at: z) == .array([.integer(1), .decimal(2.5), .object(["y": .null])]))
        #expect(tape.string(at: try #require(tape.member("a", of: root))) == "é")
        let m = try #require(tape.member("m", of: root))
        #expect(tape.value(at: m) == .object(["k": .array([.array([]), .object([:])]), "t": .bool(true)]))
        #expect(tape.value(at: try #require(tape.member("n", of: root))) == .integer(0))
        #expect(tape.member("absent", of: root) == nil)
        #expect(tape.member("y", of: z) == nil)
        #expect(tape.next(after: root) == tape.entries.count)
    }

    @Test("a validated bulletin reads its top-level members from the tape, and its value is the tree")
    func validatedMembers() throws {
        let catalog = try Repository.loadedCatalog()
        for file in Repository.jsonFiles(in: Repository.examples) {
            let bytes = [UInt8](try Data(contentsOf: file))
            guard let validated = try? catalog.validate(bytes) else { continue }
            let tree = try parser.parse(bytes)
            #expect(validated.value == tree)
            #expect(validated.string("workingGroup") == tree["workingGroup"]?.stringValue)
            #expect(validated.strings("handling") == (tree["handling"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(validated.has("attachments") == (tree["attachments"] != nil))
            #expect(validated.id == tree["id"]?.stringValue)
            #expect(validated.incidentType == tree["incidentType"]?.stringValue)
            #expect(validated.tlp == tree["tlp"]?.stringValue)
            #expect(validated.has("details") == (tree["details"] != nil))
            #expect(validated.string("schemaVersion") == tree["schemaVersion"]?.stringValue)
            #expect(validated.strings("tlp").isEmpty)
        }
    }
}
