import Foundation
import Testing

/// Keeps docs/ARCHITECTURE.md's import table true: for every target under Sources/, the modules
/// its files import are exactly those the table lists (as the README walk-through test keeps the
/// README true). A new import, or a target that stops needing one, fails here until the map is
/// updated in the same commit.
@Suite("ARCHITECTURE.md's import table")
struct ImportTableTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Modules of the system toolchain, not listed in the table.
    static let systemModules: Set<String> = ["Foundation", "FoundationEssentials", "Dispatch", "Synchronization", "Glibc"]

    /// The table: target → the modules its row lists (backticked names in the third column).
    static func documentedImports() throws -> [String: Set<String>] {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        var table: [String: Set<String>] = [:]
        // The rows after the header `| target | job | imports |`, up to the first line that is not a row.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| target | job | imports |") }) else { return [:] }
        for line in lines[(header + 2)...].prefix(while: { $0.hasPrefix("|") }) {
            // Cells are split on " | " so that an escaped "\|" inside a cell stays in it.
            let cells = line.dropFirst(2).components(separatedBy: " | ")
            guard cells.count >= 3, let target = backticked(cells[0]).first else { continue }
            let importsCell = cells[cells.count - 1].replacingOccurrences(of: "|", with: "")
            // "(`Glibc`, internal)": a system module named for the reader, not an import to check.
            table[target] = Set(backticked(importsCell)).subtracting(systemModules)
        }
        return table
    }

    static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            index % 2 == 1 ? String(part) : nil
        }
    }

    /// What the sources of `target` import (`import X`, `internal import X`, `@testable import X`).
    static func actualImports(of target: String) throws -> Set<String> {
        let folder = repository.appendingPathComponent("Sources/\(target)")
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var modules = Set<String>()
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                    words[..<index].allSatisfy({ ["@testable", "internal", "public", "package", "private", "@_exported"].contains($0) })
                else { continue }
                modules.insert(words[index + 1])
            }
        }
        return modules.subtracting(systemModules)
    }

    static func targets() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test("every target has a row, and its row lists exactly what its sources import")
    func tableMatchesTheSources() throws {
        let table = try Self.documentedImports()
        let targets = try Self.targets()
        #expect(targets.count >= 17, "\(targets)")
        for target in targets {
            guard let documented = table[target] else {
                Issue.record("docs/ARCHITECTURE.md has no row for the target \(target)")
                continue
            }
            let actual = try Self.actualImports(of: target)
            #expect(
                actual == documented,
                """
                \(target): the sources import \(actual.sorted()), the table lists \(documented.sorted()); \
                missing from the table: \(actual.subtracting(documented).sorted()), \
                listed but not imported: \(documented.subtracting(actual).sorted())
                """)
        }
        #expect(Set(table.keys).subtracting(targets).isEmpty, "rows for targets that do not exist: \(Set(table.keys).subtracting(targets))")
    }

    @Test("only the wrapper targets import a C module; the daemon and the demo stay apart")
    func layeringRules() throws {
        for target in try Self.targets() {
            let imports = try Self.actualImports(of: target)
            if target != "Sodium" { #expect(!imports.contains("CSodium"), "\(target) imports CSodium") }
            if target != "ZeroMQ" { #expect(!imports.contains("CZeroMQ"), "\(target) imports CZeroMQ") }
            if target != "LocalFiles" { #expect(!imports.contains("CProcessControl"), "\(target) imports CProcessControl") }
            if target != "bordernet" { #expect(!imports.contains("Node"), "\(target) imports the daemon") }
            if target == "Node" { #expect(imports.isDisjoint(with: ["Demo", "Region", "NodeClient"]), "the daemon imports \(imports)") }
        }
        #expect(!(try Self.actualImports(of: "bordernet")).contains("ZeroMQ"), "the CLI speaks to nodes through NodeClient")
        #expect(!(try Self.actualImports(of: "AuditCollection")).contains("Node"))
    }
}
