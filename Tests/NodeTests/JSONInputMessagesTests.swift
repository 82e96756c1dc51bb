import BulletinSchema
import Foundation
import Testing
import Wire


/// Issue 13, defect 9: invalid UTF-8, bad JSON, deep nesting and JSON that is not an object all
/// said "is not a JSON object". Each now has its own message with the spot: through the reader,
/// through the node's control request decoder, and through real `bordernet post` processes.
@Suite("JSON inputs: a precise message for each mistake")
struct JSONInputMessagesTests {
    static func message(_ bytes: [UInt8], source: String = "--details") -> String {
        do {
            _ = try JSONObjectInput.parse(bytes, source: source)
            return "accepted"
        } catch {
            return error.description
        }
    }

    static let mistakeCases: [([UInt8], String)] = {
        var cases: [([UInt8], String)] = []
        cases.append((Array(#"{"a":"#.utf8) + [0xFF] + Array(#""}"#.utf8), "--details is not valid UTF-8 at byte 6 (0xFF); save or type it as UTF-8"))
        cases.append((Array(#"{"é":1, "b": "#.utf8) + [0xC3, 0x28], "--details is not valid UTF-8 at byte 15 (0xC3); save or type it as UTF-8"))
        cases.append((Array(#"{"a": 1,}"#.utf8), "--details is not valid JSON: unexpected '}' at line 1 column 9"))
        cases.append((Array("{\n  \"a\": tru\n}".utf8), "--details is not valid JSON: unexpected end of line at line 2 column 11"))
        cases.append((Array(#"{"a": "x"#.utf8), "--details is not valid JSON: the text ends in the middle of a value (a missing '}', ']' or '\"'?) at line 1 column 9"))
        cases.append((Array(#"{"a": 1, "a": 2}"#.utf8), "--details is not valid JSON: member \"a\" appears twice in one object at line 1 column 10"))
        cases.append((Array(#"{"a": 1} x"#.utf8), "--details is not valid JSON: extra text after the JSON value at line 1 column 10"))
        cases.append((Array((String(repeating: "[", count: 40) + String(repeating: "]", count: 40)).utf8), "--details nests deeper than 32 levels (at line 1 column 33)"))
        cases.append((Array(#"[{"a": 1}]"#.utf8), "--details is JSON but not an object (it is an array); give a JSON object, {…}"))
        cases.append((Array(#""text""#.utf8), "--details is JSON but not an object (it is a string); give a JSON object, {…}"))
        cases.append((Array("12".utf8), "--details is JSON but not an object (it is a number); give a JSON object, {…}"))
        cases.append((Array("  \n".utf8), "--details is empty; give a JSON object, {…}"))
        return cases
    }()

    @Test("each mistake has its own message", arguments: mistakeCases)
    func mistakes(bytes: [UInt8], expected: String) {
        #expect(Self.message(bytes) == expected)
    }

    @Test("32 levels are accepted, and objects of any content within them")
    func accepted() throws {
        let deepest = "{\"a\":" + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}"
        #expect(Self.message(Array(deepest.utf8)) == "accepted")
        let members = try JSONObjectInput.parse(Array(#"{"title": {"ar": "ضبط"}, "n": 1.5}"#.utf8), source: "x")
        #expect(members.keys.sorted() == ["n", "title"])
    }

    @Test("the node's control requests get the same precise messages, and a wrong shape names the member")
    func controlRequests() {
        func refusal(_ bytes: [UInt8]) -> String {
            do {
                _ = try ControlRequest(frames: [bytes])
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal([0x7B, 0xFF, 0x7D]) == "the request is not valid UTF-8 at byte 2 (0xFF); save or type it as UTF-8")
        #expect(refusal(Array(#"{"command":"status",}"#.utf8)) == "the request is not valid JSON: unexpected '}' at line 1 column 21")
        #expect(refusal(Array(#"["status"]"#.utf8)).hasPrefix("the request is JSON but not an object (it is an array)"))
        #expect(refusal(Array(String(repeating: "[", count: 10_000).utf8)) == "the request nests deeper than 32 levels (at line 1 column 33)")
        #expect(refusal(Array(String(repeating: " ", count: 70_000).utf8)) == "the request's JSON frame has 70000 bytes (at most 65536)")
        #expect(refusal(Array(#"{"command":"launch"}"#.utf8)).hasPrefix("'command': "))
        #expect(refusal(Array(#"{"command":"post","recipients":"DZ"}"#.utf8)).hasPrefix("'recipients' has the wrong type"))
        #expect(refusal(Array(#"{"recipients":["DZ"]}"#.utf8)) == "'command' is missing")
    }

    /// Runs `bordernet post` through /bin/sh, so that `--details` can carry bytes that are not
    /// UTF-8 exactly as a shell passes them (a Swift `String` argument cannot).
    static func post(_ shellArguments: String, data: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "exec \"$0\" post --data \"$1\" --type drug-trafficking --title t --summary s \(shellArguments)",
            RegionHarness.executable.path, data.path,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": RegionHarness.schemas.path]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    @Test("bordernet post says what is wrong with --details and with a draft file, before asking the node")
    func postCommand() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-json-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            (#"--details "$(printf '{"a":"\377"}')""#, "--details is not valid UTF-8 at byte 7 (0xFF)"),
            (#"--details '{"a": 1,}'"#, "--details is not valid JSON: unexpected '}' at line 1 column 9"),
            (#"--details '["a"]'"#, "--details is JSON but not an object (it is an array)"),
            ("--details '\(String(repeating: "[", count: 40))'", "--details nests deeper than 32 levels (at line 1 column 33)"),
        ]
        for (arguments, expected) in cases {
            let (status, output) = try Self.post(arguments, data: folder)
            #expect(status != 0)
            #expect(output.contains(expected), "\(arguments): \(output)")
            #expect(!output.contains("is not a JSON object"))
        }

        let draft = folder.appendingPathComponent("draft.json")
        let files: [([UInt8], String)] = [
            (Array("{\n  \"title\": \"Saisie".utf8) + [0xE9] + Array("\"\n}".utf8), "\(draft.path) is not valid UTF-8 at byte 21 (0xE9)"),
            (Array("{\n  \"title\": \"x\"\n  \"tlp\": \"AMBER\"\n}".utf8), "\(draft.path) is not valid JSON: unexpected '\"' at line 3 column 3"),
            (Array("[]".utf8), "\(draft.path) is JSON but not an object (it is an array)"),
        ]
        for (bytes, expected) in files {
            try Data(bytes).write(to: draft)
            let process = try ControlSocketStateTests.run(["post", "--data", folder.path, "--file", draft.path])
            #expect(process.status != 0)
            #expect(process.output.contains(expected), "\(process.output)")
        }
        let missing = try ControlSocketStateTests.run(["post", "--data", folder.path, "--file", folder.appendingPathComponent("none.json").path])
        #expect(missing.output.contains("cannot read \(folder.appendingPathComponent("none.json").path)"), "\(missing.output)")
    }
}
