import Audit
import Exchange
import Foundation
import NodeSetup

/// A node's own audit log, opened from its data folder for `audit verify` and `audit prove`
/// (which only read it; the node may be running or stopped).
public struct NodeAuditFile: Sendable {
    /// The node's data folder.
    public let directory: NodeDirectory

    /// The log of the node in `directory`.
    public init(directory: NodeDirectory) {
        self.directory = directory
    }

    /// Why the log could not be opened.
    public enum Failure: Error, CustomStringConvertible {
        /// No `audit.sqlite` in the folder.
        case missing(path: String)

        public var description: String {
            switch self {
            case .missing(let path):
                "no audit log at \(path): is --data a node's folder, and has the node run since the audit log was added?"
            }
        }
    }

    /// The path of `audit.sqlite`.
    public var path: String { directory.root.appendingPathComponent("audit.sqlite").path }

    /// Opens the log with the node's card (its state and signing key).
    public func open() throws -> (log: AuditLog, card: IdentityCard) {
        let card = try directory.loadCard()
        guard FileManager.default.fileExists(atPath: path) else { throw Failure.missing(path: path) }
        return (try AuditLog(path: path, state: card.state), card)
    }
}
