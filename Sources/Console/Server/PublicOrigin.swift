import Foundation
import Synchronization
import WebAuthn

/// An origin the console is reached at (`https://console.example`, `http://localhost:8470`):
/// the origin WebAuthn ceremonies must have run on, and its host as the RP ID.
public struct PublicOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The serialised origin: scheme, host and the port when it is not the scheme's default.
    public let origin: String
    /// The host (lower case): the RP ID.
    public let host: String
    /// `host` or `host:port`, as a browser's `Host` header names it.
    public let authority: String

    /// Reads `text`: `http` or `https`, a host, an optional port, nothing else (no path, query,
    /// user or fragment). `nil` otherwise.
    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host?.lowercased(), !host.isEmpty, components.user == nil, components.password == nil,
            components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        if let port, !(1...65_535).contains(port) { return nil }
        self.host = host
        authority = port.map { "\(host):\($0)" } ?? host
        origin = "\(scheme)://\(authority)"
    }

    public var description: String { origin }

    /// The relying party of this origin.
    var relyingParty: RelyingParty { RelyingParty(id: host, origin: origin) }

    /// The origins a console on loopback port `port` answers when none is configured.
    static func loopbackDefaults(port: Int) -> [PublicOrigin] {
        ["http://127.0.0.1:\(port)", "http://localhost:\(port)"].compactMap(PublicOrigin.init)
    }
}

/// The port the server actually bound (known only once it listens, `--port 0` included).
final class BoundPort: Sendable {
    private let value = Mutex(0)
    var port: Int { value.withLock { $0 } }
    func set(_ port: Int) { value.withLock { $0 = port } }
}
