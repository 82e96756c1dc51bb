import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `wrk` (Debian package `wrk`, in the Makefile's `BENCH_PACKAGES`), the HTTP load generator the
/// console benchmark measures pages with. Its `--latency` prints no p95, so a Lua script's
/// `done(summary, latency, requests)` prints the percentiles on one parseable line, and its
/// `response()` counts answers other than 200 (a page that redirected to the sign-in form would
/// otherwise count as served).
struct Wrk {
    let executable: URL
    /// Where the Lua scripts are written.
    let folder: URL

    /// What one run measured.
    struct Result: Codable {
        var requests: Int
        var seconds: Double
        var perSecond: Double
        var p50Milliseconds: Double
        var p95Milliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
        /// Connect, read, write and timeout errors, and HTTP statuses ≥ 400.
        var errors: Int
        /// Answers whose status was not 200.
        var not200: Int
    }

    /// The `wrk` on `PATH`, or nil.
    static func locate() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("wrk")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    init(executable: URL, folder: URL) throws {
        self.executable = executable
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
    }

    private var scriptFile: URL { folder.appendingPathComponent("bench.lua") }

    /// The script: `wrk … -- DELAY_MS [PATH …]`. With paths, each request takes the next one (each
    /// thread in turn); a delay above 0 paces every connection (a person reading, not a flood).
    static let script = """
        -- bordernet-bench (Sources/BorderNetBench/Wrk.swift): percentiles on one line, answers other than 200 counted.
        local threads = {}
        function setup(thread) table.insert(threads, thread) end
        function init(args)
          not200 = 0
          local pause = tonumber(args[1] or "0") or 0
          local paths = {}
          for i = 2, #args do table.insert(paths, args[i]) end
          -- Defined here, so that a run without them keeps wrk's static request and no timer
          -- (wrk looks for request() and delay() after init).
          if pause > 0 then delay = function() return pause end end
          if #paths > 0 then
            local turn = 0
            request = function()
              turn = turn + 1
              return wrk.format(nil, paths[(turn % #paths) + 1])
            end
          end
        end
        function response(status, headers, body)
          if status ~= 200 then not200 = not200 + 1 end
        end
        function done(summary, latency, requests)
          local others = 0
          for _, t in ipairs(threads) do others = others + (t:get("not200") or 0) end
          local e = summary.errors
          io.write(string.format(
            "bench-wrk requests=%d duration_us=%d errors=%d not200=%d p50_us=%.0f p95_us=%.0f p99_us=%.0f max_us=%.0f\\n",
            summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, others,
            latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
        end
        """

    private func arguments(
        url: String, cookie: String, connections: Int, seconds: Int, delayMilliseconds: Int, paths: [String], headers: [String]
    ) -> [String] {
        // The cookie when there is one, and `headers` (a TAXII client's Authorization and Accept).
        let sent = (cookie.isEmpty ? [] : ["Cookie: \(cookie)"]) + headers
        return ["--threads", "1", "--connections", String(connections), "--duration", "\(seconds)s", "--timeout", "10s", "--script", scriptFile.path]
            + sent.flatMap { ["--header", $0] } + [url, "--", String(delayMilliseconds)] + paths
    }

    /// `connections` connections as fast as the console answers, for `seconds`, on one page;
    /// `headers` (`Name: value`) are sent besides the cookie (none when it is empty).
    func measure(url: String, cookie: String, connections: Int, seconds: Int, headers: [String] = []) throws -> Result {
        let run = try start(
            url: url, cookie: cookie, connections: connections, seconds: seconds, delayMilliseconds: 0, paths: [], headers: headers)
        return try run.finish(deadline: Date().addingTimeInterval(Double(seconds) + 60))
    }

    /// A paced run in the background: `connections` connections, each waiting `delayMilliseconds`
    /// after an answer, over `paths` in turn, until ``Running/stop()`` (or `seconds`).
    func start(
        url: String, cookie: String, connections: Int, seconds: Int, delayMilliseconds: Int, paths: [String], headers: [String] = []
    ) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments(
            url: url, cookie: cookie, connections: connections, seconds: seconds, delayMilliseconds: delayMilliseconds, paths: paths,
            headers: headers)
        let output = folder.appendingPathComponent("wrk-\(UUID().uuidString.prefix(8)).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? handle.close()
        return Running(process: process, output: output)
    }

    /// A `wrk` process the benchmark started.
    final class Running {
        let process: Process
        let output: URL

        init(process: Process, output: URL) {
            self.process = process
            self.output = output
        }

        /// Ends the run early: on SIGINT `wrk` stops its connections and prints what it measured.
        func stop() throws -> Result {
            if process.isRunning { kill(process.processIdentifier, SIGINT) }
            return try finish(deadline: Date().addingTimeInterval(30))
        }

        /// Waits (bounded) for `wrk` to end and reads its line.
        func finish(deadline: Date) throws -> Result {
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw BenchError("wrk did not finish in time")
            }
            process.waitUntilExit()
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("bench-wrk ") }) else {
                throw BenchError("wrk printed no figures (exit \(process.terminationStatus)): \(text.suffix(400))")
            }
            var values: [String: Double] = [:]
            for pair in line.split(separator: " ").dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
            }
            func value(_ name: String) throws -> Double {
                guard let found = values[name] else { throw BenchError("wrk's line lacks \(name): \(line)") }
                return found
            }
            let requests = try value("requests")
            let seconds = try value("duration_us") / 1_000_000
            return Result(
                requests: Int(requests), seconds: seconds, perSecond: seconds > 0 ? requests / seconds : 0,
                p50Milliseconds: try value("p50_us") / 1_000, p95Milliseconds: try value("p95_us") / 1_000,
                p99Milliseconds: try value("p99_us") / 1_000, maxMilliseconds: try value("max_us") / 1_000,
                errors: Int(try value("errors")), not200: Int(try value("not200")))
        }
    }
}
