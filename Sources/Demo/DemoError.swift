/// Why `bordernet demo` could not set up, start or exercise its region, and what to do about it.
public enum DemoError: Error, Sendable, CustomStringConvertible {
    /// The folder exists but holds no demo region (no `demo.json`), so the demo will not touch it.
    case notADemoFolder(path: String)
    /// The folder holds a demo region that is missing parts (a node folder, a card, a roster).
    case incompleteRegion(path: String, reason: String)
    /// Setting up the secretariat, a node or the roster failed.
    case setup(String)
    /// Nodes of a previous demo still hold their data folders.
    case alreadyRunning(path: String, states: [String], processIDs: [Int32])
    /// A port the region needs is taken by another program.
    /// `freeBasePort` is a range found free just now, to suggest for a new region.
    case portInUse(port: Int, state: String, regionExists: Bool, path: String, freeBasePort: Int?)
    /// `--base-port` leaves no room for the region's ports.
    case invalidBasePort(Int, needed: Int)
    /// The example bulletins could not be read.
    case samples(String)
    /// A node process could not be launched.
    case cannotLaunch(state: String, reason: String)
    /// A node process exited before it answered.
    case nodeExited(state: String, status: Int32, log: String, logTail: String)
    /// A node did not answer `ping` within the time allowed.
    case nodeSilent(state: String, seconds: Int, log: String, logTail: String)
    /// A node refused a sample bulletin.
    case postRefused(state: String, example: String, reason: String)
    /// SIGINT or SIGTERM arrived before the region was up.
    case interrupted

    public var description: String {
        switch self {
        case .notADemoFolder(let path):
            "\(path) exists but is not a demo region (it has no demo.json); choose another --dir, or remove \(path) yourself if it is an old demo"
        case .incompleteRegion(let path, let reason):
            "the demo region in \(path) is incomplete (\(reason)); remove it (`make clean-demo` or `rm -rf \(path)`) and run the demo again"
        case .setup(let message):
            "cannot set up the demo region: \(message)"
        case .alreadyRunning(let path, let states, let processIDs):
            "the demo region in \(path) is already running (the nodes of \(states.joined(separator: ", ")) hold their locks). "
                + "Stop that demo first with Ctrl-C in its terminal"
                + (processIDs.isEmpty ? "" : ", or `kill \(processIDs.map(String.init).joined(separator: " "))`")
                + "; or run a second region elsewhere with --dir and --base-port."
        case .portInUse(let port, let state, let regionExists, let path, let freeBasePort):
            (regionExists
                ? "port \(port) on 127.0.0.1 (the \(state) node of the region in \(path)) is in use by another program; "
                    + "free it, or remove the region (`make clean-demo`) and create a new one with another --base-port"
                : "port \(port) on 127.0.0.1 (for the \(state) node) is in use by another program; choose another range with --base-port")
                + (freeBasePort.map { " (\($0)–\($0 + 15) are free right now: --base-port \($0))" } ?? "")
        case .invalidBasePort(let port, let needed):
            "--base-port \(port) leaves no room for the \(needed) ports the region needs; use a port from 1024 to \(65_535 - needed + 1)"
        case .samples(let message):
            "cannot read the sample bulletins: \(message)"
        case .cannotLaunch(let state, let reason):
            "cannot launch the \(state) node: \(reason)"
        case .nodeExited(let state, let status, let log, let logTail):
            "the \(state) node exited with status \(status) before it answered; the end of its log (\(log)):\n\(logTail)"
        case .nodeSilent(let state, let seconds, let log, let logTail):
            "the \(state) node did not answer within \(seconds) s; the end of its log (\(log)):\n\(logTail)"
        case .postRefused(let state, let example, let reason):
            "the \(state) node refused the sample \(example): \(reason)"
        case .interrupted:
            "interrupted before the region was up"
        }
    }
}
