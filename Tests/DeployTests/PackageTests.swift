import Foundation
import NodeSetup
import Region
import Testing
import Wire

/// `make package` (Deploy/package.sh): the .deb is built once per test run into
/// .build-release/package-test (the release build in .build-release is incremental, so only the
/// first run on a machine pays for it, a few minutes on 2 cores), unpacked with `dpkg-deb -x`, and
/// checked as installed files.
@Suite("The Debian package")
struct PackageTests {
    /// The package built by Deploy/package.sh and unpacked, shared by the tests of this suite.
    struct Built: Sendable {
        let deb: URL
        let root: URL
        let seconds: Double
    }

    static let output = Deploy.repository.appendingPathComponent(".build-release/package-test")

    /// Built once, by whichever test asks first; the others await the same task.
    static let built = Task<Built, any Error> { try await Deploy.onOwnThread { try build() } }

    static func build() throws -> Built {
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        // nice: the release build must not starve the integration tests running beside it.
        let outcome = try Deploy.run(
            "/usr/bin/nice", ["-n", "10", Deploy.repository.appendingPathComponent("Deploy/package.sh").path, output.path],
            in: Deploy.repository, seconds: 25 * 60)
        guard outcome.succeeded, let last = outcome.output.split(separator: "\n").last else {
            throw PackageFailure(message: "\(outcome)")
        }
        let deb = URL(fileURLWithPath: String(last))
        let root = output.appendingPathComponent("root")
        let unpacked = try Deploy.run("/usr/bin/dpkg-deb", ["-x", deb.path, root.path])
        guard unpacked.succeeded else { throw PackageFailure(message: "\(unpacked)") }
        return Built(deb: deb, root: root, seconds: outcome.seconds)
    }

    struct PackageFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static func package() async throws -> Built { try await built.value }

    @Test("bordernet_<version>_<arch>.deb installs a binary that prints the version and finds the packaged schemas", .timeLimit(.minutes(30)))
    func binaryAndSchemas() async throws {
        let built = try await Self.package()
        let version = try Deploy.version()
        let architecture = try Deploy.run("/usr/bin/dpkg", ["--print-architecture"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(built.deb.lastPathComponent == "bordernet_\(version)_\(architecture).deb")
        print("package \(built.deb.lastPathComponent): \(((try? FileManager.default.attributesOfItem(atPath: built.deb.path)[.size] as? Int) ?? 0) / 1_048_576) MiB, built in \(Int(built.seconds)) s")

        let binary = built.root.appendingPathComponent("usr/bin/bordernet").path
        let printed = try Deploy.run(binary, ["--version"], in: built.root, removing: ["BORDERNET_SCHEMAS"])
        #expect(printed.succeeded && printed.output == "\(version)\n", "\(printed)")
        // From / with no BORDERNET_SCHEMAS: only <bin>/../share/bordernet/schemas can be found.
        let listed = try Deploy.run(binary, ["schema", "list", "--json"], in: URL(fileURLWithPath: "/"), removing: ["BORDERNET_SCHEMAS"])
        #expect(listed.succeeded, "\(listed)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])
        #expect(object["directory"] as? String == built.root.appendingPathComponent("usr/share/bordernet/schemas").path)
        #expect((object["incidentTypes"] as? [Any])?.count == 20)
        let text = try Deploy.run(binary, ["schema", "list"], in: URL(fileURLWithPath: "/"), removing: ["BORDERNET_SCHEMAS"])
        #expect(text.output.contains("migrant-smuggling"))

        // The Swift runtime is linked in: nothing from the toolchain is needed, and no $ORIGIN rpath.
        let dynamic = try Deploy.run("/usr/bin/objdump", ["-p", binary]).output
        #expect(!dynamic.contains("libswift"), "the binary needs Swift runtime libraries")
        #expect(!dynamic.contains("libFoundation"))
        #expect(!dynamic.contains("RUNPATH") && !dynamic.contains("RPATH"))
    }

    @Test("the package holds the units, the man page, /etc/bordernet, the region file and the docs; Depends covers every library the binary needs", .timeLimit(.minutes(30)))
    func contents() async throws {
        let built = try await Self.package()
        for path in [
            "lib/systemd/system/bordernet-node.service", "lib/systemd/system/bordernet-console.service",
            "lib/systemd/system/bordernet-audit-collect.service", "lib/systemd/system/bordernet-secretariat-console.service",
            "usr/share/doc/bordernet/nginx/bordernet-console.conf",
            "usr/share/doc/bordernet/CONSOLE.md", "usr/share/doc/bordernet/TAXII.md",
            "lib/systemd/system/bordernet-audit-collect.timer", "usr/share/man/man1/bordernet.1.gz", "etc/bordernet/README",
            "etc/bordernet/node.toml.example", "usr/share/bordernet/region/rabat-declaration.toml",
            "usr/share/bordernet/schemas/bulletin.schema.json", "usr/share/doc/bordernet/OPERATIONS.md", "usr/share/doc/bordernet/copyright",
        ] {
            #expect(FileManager.default.fileExists(atPath: built.root.appendingPathComponent(path).path), "missing /\(path)")
        }
        // The example configuration is what `init` writes, and the node reads it.
        let example = try String(contentsOf: built.root.appendingPathComponent("etc/bordernet/node.toml.example"), encoding: .utf8)
        #expect(try NodeConfiguration(document: TOMLDocument(parsing: example)) == NodeConfiguration())
        // The man page names every command.
        let manual = try Deploy.run("/bin/sh", ["-c", "gzip -dc '\(built.root.path)/usr/share/man/man1/bordernet.1.gz'"]).output
        for command in ["init", "node", "post", "feed", "status", "roster", "secretariat", "schema", "region"] {
            #expect(manual.contains(command), "the man page does not mention \(command)")
        }

        let control = try Deploy.run("/usr/bin/dpkg-deb", ["-f", built.deb.path]).output
        let depends = try #require(control.split(separator: "\n").first { $0.hasPrefix("Depends: ") }).dropFirst("Depends: ".count)
        let packages = Set(depends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }.map(String.init))
        for required in ["libsodium23", "libzmq5", "libsqlite3-0", "adduser"] { #expect(packages.contains(required), "Depends lacks \(required): \(depends)") }
        // Each library the binary names (NEEDED) comes from a package in Depends.
        let binary = built.root.appendingPathComponent("usr/bin/bordernet").path
        let needed = try Deploy.run("/usr/bin/objdump", ["-p", binary]).output.split(separator: "\n")
            .filter { $0.contains("NEEDED") }.compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(needed.contains("libsodium.so.23") && needed.contains("libzmq.so.5") && needed.contains("libsqlite3.so.0"))
        let resolved = try Deploy.run("/usr/bin/ldd", [binary]).output
        for library in needed where !library.hasPrefix("ld-linux") {
            let path = try #require(resolved.split(separator: "\n").first { $0.contains(library + " => ") }?.components(separatedBy: " => ").last?.split(separator: " ").first)
            let owner = try Deploy.run("/bin/sh", ["-c", "dpkg -S \"$(readlink -f '\(path)')\" 2>/dev/null || dpkg -S '*/\(library)'"]).output
            let owners = Set(owner.split(separator: "\n").compactMap { $0.split(separator: ":").first.map(String.init) })
            #expect(!owners.isDisjoint(with: packages), "\(library) comes from \(owners), not in Depends: \(depends)")
        }
        let conffiles = try Deploy.run("/bin/sh", ["-c", "dpkg-deb --ctrl-tarfile '\(built.deb.path)' | tar -xOf - ./conffiles"]).output
        #expect(conffiles == "/etc/bordernet/README\n/etc/bordernet/node.toml.example\n")
        for script in ["postinst", "prerm", "postrm"] {
            let checked = try Deploy.run("/bin/sh", ["-n", Deploy.repository.appendingPathComponent("Deploy/debian/\(script)").path])
            #expect(checked.succeeded, "\(checked)")
        }
    }

    /// The unpacked units, with /usr/bin/bordernet pointed at the unpacked binary (verify checks
    /// that ExecStart= exists; no running systemd is needed).
    static func unitsPointingIntoPackage(_ built: Built) throws -> [URL] {
        let folder = output.appendingPathComponent("units")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unitFolder = built.root.appendingPathComponent("lib/systemd/system")
        return try FileManager.default.contentsOfDirectory(atPath: unitFolder.path).sorted().map { name in
            let text = try String(contentsOf: unitFolder.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/bin/bordernet", with: built.root.appendingPathComponent("usr/bin/bordernet").path)
            let copy = folder.appendingPathComponent(name)
            try text.write(to: copy, atomically: true, encoding: .utf8)
            return copy
        }
    }

    @Test("systemd-analyze verify passes on the five units without a warning; the node's and both consoles' units rate OK", .timeLimit(.minutes(30)))
    func unitsVerify() async throws {
        let units = try await Self.unitsPointingIntoPackage(Self.package())
        #expect(
            units.map(\.lastPathComponent)
                == [
                    "bordernet-audit-collect.service", "bordernet-audit-collect.timer", "bordernet-console.service", "bordernet-node.service",
                    "bordernet-secretariat-console.service",
                ])
        let verified = try Deploy.run("/usr/bin/systemd-analyze", ["verify", "--man=no"] + units.map(\.path), in: Self.output)
        // verify exits 0 on an unknown (misspelt) setting and only warns: no output at all is the check.
        #expect(verified.succeeded && verified.errors.isEmpty && verified.output.isEmpty, "\(verified)")
        let confined = ["bordernet-node.service", "bordernet-console.service", "bordernet-secretariat-console.service"]
        for unit in units where confined.contains(unit.lastPathComponent) {
            let security = try Deploy.run("/usr/bin/systemd-analyze", ["security", "--offline=yes", unit.path], in: Self.output)
            let line = try #require(security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(security)")
            let score = try #require(Double(line.split(separator: ":").last?.split(separator: " ").first ?? ""))
            #expect(score <= 2.0, "\(unit.lastPathComponent): \(line)")
        }
    }

    @Test("two packaged nodes exchange a bulletin under the node unit's seccomp filters (system calls, address families, W^X)", .timeLimit(.minutes(30)))
    func nodeUnderUnitSandbox() async throws {
        let built = try await Self.package()
        let binary = built.root.appendingPathComponent("usr/bin/bordernet").path
        let unit = built.root.appendingPathComponent("lib/systemd/system/bordernet-node.service").path
        let sandbox = Deploy.repository.appendingPathComponent("Deploy/systemd/sandbox-exec.py").path
        let folder = try Deploy.temporaryFolder("bn-sandbox")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try Deploy.freePorts(32)
        let generated = try Deploy.run(
            binary,
            ["region", "generate", "--config", built.root.appendingPathComponent("usr/share/bordernet/region/rabat-declaration.toml").path,
             "--out", folder.appendingPathComponent("region").path, "--base-port", "\(base)", "--json"], removing: ["BORDERNET_SCHEMAS"])
        #expect(generated.succeeded, "\(generated)")
        let region = try JSONDecoder().decode(GeneratedRegion.self, from: Data(generated.output.utf8))

        var processes: [Process] = []
        defer {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
            for process in processes { process.waitUntilExit() }
        }
        for state in ["MA", "DZ"] {
            let node = try #require(region.node(state))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [sandbox, unit, "--", binary, "node", "run", "--data", node.data]
            var environment = ProcessInfo.processInfo.environment
            environment["BORDERNET_SCHEMAS"] = nil
            process.environment = environment
            let log = URL(fileURLWithPath: node.data).appendingPathComponent("node.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append(process)
            let ready = waitUntil(seconds: 30) { (try? Deploy.run(binary, ["status", "--data", node.data]))?.succeeded == true }
            #expect(ready, "\(state) did not start under the sandbox:\n\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            guard ready else { return }
        }
        let dz = try #require(region.node("DZ")).data, ma = try #require(region.node("MA")).data
        let posted = try Deploy.run(
            binary,
            ["post", "--data", dz, "--to", "MA", "--type", "migrant-smuggling", "--lang", "fr", "--title", "Passeurs interpellés près de Maghnia",
             "--summary", "Un groupe de 23 personnes a été intercepté à 4 km de la frontière, deux passeurs interpellés.",
             "--severity", "high", "--details", #"{"persons": 23, "smugglersArrested": 2}"#, "--json"], removing: ["BORDERNET_SCHEMAS"])
        #expect(posted.succeeded, "\(posted)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(posted.output.utf8)) as? [String: Any])?["id"] as? String)
        let arrived = waitUntil(seconds: 60) { (try? Deploy.run(binary, ["feed", "--data", ma, "--json"]))?.output.contains(id) == true }
        #expect(arrived, "MA never showed \(id)")
        let acknowledged = waitUntil(seconds: 60) {
            guard let status = try? Deploy.run(binary, ["status", "--data", dz, "--json"]),
                let object = try? JSONDecoder().decode(NodeStatus.self, from: Data(status.output.utf8))
            else { return false }
            return object.outgoing.first { $0.recipient == "MA" }?.acknowledged == 1
        }
        #expect(acknowledged)
        for process in processes {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            // SIGTERM is a clean stop: 0, not a crash (an abort from a refused system call is 134).
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        }
    }

    @Test("make help lists make package")
    func makeHelp() throws {
        let help = try Deploy.run("/usr/bin/make", ["-s", "help"], in: Deploy.repository)
        #expect(help.succeeded, "\(help)")
        #expect(help.output.contains("make package"))
    }
}
