import Foundation
import Testing

/// Runs README.md's walk-through from `init` to a first bulletin exactly as written (only the
/// build step is skipped, since the test already runs the built binary), so the README cannot
/// drift from what the commands do.
@Suite("README walk-through", .serialized)
struct ReadmeWalkthroughTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The shell block between the walk-through markers.
    static func script() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- walkthrough:begin -->"))
        let end = try #require(text.range(of: "<!-- walkthrough:end -->"))
        let block = text[begin.upperBound..<end.lowerBound]
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("```") }
        return lines.joined(separator: "\n")
    }

    @Test("the README's operator path works when followed")
    func walkthrough() throws {
        var script = try Self.script()
        #expect(script.contains("make build"))
        script = script.replacingOccurrences(of: "make build\n", with: "")
        script = script.replacingOccurrences(
            of: "B=$PWD/.build/debug/bordernet", with: "B='\(RegionHarness.executable.path)'")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-euo", "pipefail", "-c", script]
        let base = try RegionHarness.freePorts(4)
        process.environment = ProcessInfo.processInfo.environment.merging([
            "PORT": "\(base)", "BORDERNET_SCHEMAS": RegionHarness.schemas.path,
        ]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("posted MA-"))
        #expect(text.contains("Interception d'un groupe de migrants près d'Oujda"), "\(text)")
        #expect(text.contains("MA→DZ  sent 1  acknowledged 1"), "\(text)")
    }
}
