import Foundation

/// The reference peers of `../shared/bench` (a C program and a Python program doing the same
/// pipeline), built and run in the same invocation so that ratios compare one machine state.
struct ReferencePeers {
    let folder: URL
    let work: URL

    struct Figures: Codable {
        var cWithoutReceipts: Double?
        var cWithReceipts: Double?
        var pythonWithoutReceipts: Double?
        var pythonWithReceipts: Double?
        var pythonPacedP99Milliseconds: Double?
        var notes: [String]

        /// The mean of each figure of two runs of the peers (before and after BorderNet in one
        /// invocation): the figures the ratios use. A figure missing in one run is the other's.
        static func mean(_ before: Figures, _ after: Figures) -> Figures {
            func mean(_ a: Double?, _ b: Double?) -> Double? {
                switch (a, b) {
                case (let a?, let b?): (a + b) / 2
                default: a ?? b
                }
            }
            return Figures(
                cWithoutReceipts: mean(before.cWithoutReceipts, after.cWithoutReceipts),
                cWithReceipts: mean(before.cWithReceipts, after.cWithReceipts),
                pythonWithoutReceipts: mean(before.pythonWithoutReceipts, after.pythonWithoutReceipts),
                pythonWithReceipts: mean(before.pythonWithReceipts, after.pythonWithReceipts),
                pythonPacedP99Milliseconds: mean(before.pythonPacedP99Milliseconds, after.pythonPacedP99Milliseconds),
                notes: before.notes + after.notes)
        }

        /// The throughput figures that differ by more than `tolerance` (a fraction of the smaller)
        /// between two runs of the peers, by name: the machine's speed changed during the
        /// invocation, and its ratios are not to be trusted.
        static func unstable(_ before: Figures, _ after: Figures, tolerance: Double = 0.15) -> [String] {
            let pairs: [(String, Double?, Double?)] = [
                ("C no receipts", before.cWithoutReceipts, after.cWithoutReceipts),
                ("C receipts", before.cWithReceipts, after.cWithReceipts),
                ("Python no receipts", before.pythonWithoutReceipts, after.pythonWithoutReceipts),
                ("Python receipts", before.pythonWithReceipts, after.pythonWithReceipts),
            ]
            return pairs.compactMap { name, a, b in
                guard let a, let b, min(a, b) > 0 else { return nil }
                return abs(a - b) / min(a, b) > tolerance ? name : nil
            }
        }
    }

    static func locate() -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("../shared/bench")]
        if let override = ProcessInfo.processInfo.environment["BORDERNET_REFERENCE_BENCH"] {
            candidates.insert(URL(fileURLWithPath: override), at: 0)
        }
        return candidates.map(\.standardizedFileURL).first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("c_peer.c").path)
        }
    }

    func run(bulletins: Int, progress: (String) -> Void) -> Figures {
        var figures = Figures(notes: [])
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let binary = work.appendingPathComponent("c_peer")
        let compile = Self.shell(
            "gcc", ["-O2", "-o", binary.path, folder.appendingPathComponent("c_peer.c").path, "-lsodium", "-lzmq", "-lsqlite3"],
            in: work)
        if compile.status == 0 {
            progress("reference C peer: \(bulletins) bulletins without receipts")
            figures.cWithoutReceipts = Self.rate(in: Self.shell(binary.path, ["\(bulletins)", "-n"], in: work).output, after: "sub commit ")
            progress("reference C peer: \(bulletins) bulletins with receipts")
            let receipts = Self.withEveryReceipt(bulletins, counted: "receipts verified ", peer: "C", notes: &figures.notes) {
                Self.shell(binary.path, ["\(bulletins)", "-r"], in: work).output
            }
            figures.cWithReceipts = receipts.flatMap { Self.rate(in: $0, after: "last receipt ") }
        } else {
            figures.notes.append("c_peer.c did not compile: \(compile.output.prefix(300))")
        }
        let script = folder.appendingPathComponent("python_peer.py").path
        progress("reference Python peer: \(bulletins) bulletins without receipts")
        let plain = Self.shell("/usr/bin/python3", [script, "throughput", "--n", "\(bulletins)", "--dir", work.path], in: work)
        if plain.status == 0 {
            figures.pythonWithoutReceipts = Self.rate(in: plain.output, after: "commit ")
            progress("reference Python peer: \(bulletins) bulletins with receipts")
            let withReceipts = Self.withEveryReceipt(bulletins, counted: "receipts verified at publisher: ", peer: "Python", notes: &figures.notes) {
                Self.shell("/usr/bin/python3", [script, "throughput", "--n", "\(bulletins)", "--receipts", "--dir", work.path], in: work).output
            }
            figures.pythonWithReceipts = withReceipts.flatMap { Self.rate(in: $0, after: "last receipt ") }
            progress("reference Python peer: paced 1,000/s")
            let paced = Self.shell(
                "/usr/bin/python3", [script, "paced", "--n", "\(min(bulletins, 20_000))", "--rate", "1000", "--dir", work.path], in: work)
            figures.pythonPacedP99Milliseconds = Self.number(in: paced.output, after: "p99 ")
        } else {
            figures.notes.append("python_peer.py failed: \(plain.output.suffix(300))")
        }
        return figures
    }

    /// The output of a reference run with receipts in which the peer verified a receipt for every
    /// bulletin, trying up to three times. The peers sometimes lose the first receipts (their
    /// receipt socket joins late) and then wait for their deadline, which turns the rate into a
    /// measure of that deadline; such runs are dropped and said in the notes.
    static func withEveryReceipt(
        _ bulletins: Int, counted marker: String, peer: String, notes: inout [String], run: () -> String
    ) -> String? {
        for attempt in 1...3 {
            let output = run()
            let verified = number(in: output, after: marker).map { Int($0) } ?? 0
            if verified == bulletins { return output }
            notes.append("the \(peer) peer verified \(verified) of \(bulletins) receipts (attempt \(attempt)): run dropped")
        }
        return nil
    }

    /// The `N bulletins/s` (or `round trips/s`) figure printed after `marker` on the line
    /// containing it.
    static func rate(in output: String, after marker: String) -> Double? {
        for line in output.split(separator: "\n") where line.contains(marker) {
            guard let markerRange = line.range(of: marker, options: .backwards) else { continue }
            let tail = line[markerRange.upperBound...]
            if let equals = tail.range(of: "= ") {
                let number = tail[equals.upperBound...].prefix { $0.isNumber || $0 == "." }
                if let value = Double(number) { return value }
            }
        }
        return nil
    }

    static func number(in output: String, after marker: String) -> Double? {
        guard let range = output.range(of: marker) else { return nil }
        return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    static func shell(_ command: String, _ arguments: [String], in folder: URL) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.hasPrefix("/") ? command : "/usr/bin/env")
        process.arguments = command.hasPrefix("/") ? arguments : [command] + arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return (-1, "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
