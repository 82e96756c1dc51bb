import Foundation

/// Where a console listens and what it serves: one node, read through its store and posted to
/// through its control socket, and the console's own folder (accounts and sessions).
public struct ConsoleConfiguration: Sendable {
    /// The node's data folder: its `store.sqlite` is opened read-only, its `control.sock` carries
    /// posts. The console never opens the key files the folder also holds.
    public var nodeData: URL
    /// The console's own folder (`console.sqlite`: people, sessions); not the node's.
    public var consoleData: URL
    /// The bulletin schemas (labels, forms, validation before posting).
    public var schemas: URL
    /// Address to listen on. A production console listens on loopback behind the TLS proxy of
    /// docs/CONSOLE.md; browsers treat http://127.0.0.1 as a secure context, which Secure cookies
    /// and WebAuthn need.
    public var host: String
    /// Port to listen on (0: any free port, reported by ``ConsoleServer/run(onListening:)``).
    public var port: Int
    /// The console runs behind the TLS proxy of docs/CONSOLE.md, which appends the client's
    /// address to `X-Forwarded-For`: sign-in limits then count that address, not the proxy's.
    /// Never set it for a console that clients reach directly (they could name any address).
    public var behindProxy: Bool
    /// The secretariat's folder, for the secretariat's console (`--secretariat`): its
    /// `collected.sqlite` is opened read-only for the auditor's pages, and nothing else in it.
    /// When set, ``nodeData`` is not opened: there is no node, no store and no posting.
    public var secretariatData: URL?
    /// The origins people reach the console at (`--public-origin`), checked against each
    /// request's `Host` and used as the WebAuthn origin and RP ID. Empty: `http://127.0.0.1:PORT`
    /// and `http://localhost:PORT` of the port bound (browsers refuse an IP address as RP ID, so
    /// security keys work at `localhost`).
    public var publicOrigins: [PublicOrigin]

    public init(
        nodeData: URL, consoleData: URL, schemas: URL, host: String = "127.0.0.1", port: Int = 8470, behindProxy: Bool = false,
        secretariatData: URL? = nil, publicOrigins: [PublicOrigin] = []
    ) {
        self.secretariatData = secretariatData
        self.publicOrigins = publicOrigins
        self.nodeData = nodeData
        self.consoleData = consoleData
        self.schemas = schemas
        self.host = host
        self.port = port
        self.behindProxy = behindProxy
    }
}
