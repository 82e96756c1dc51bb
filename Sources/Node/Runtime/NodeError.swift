import Audit
import NodeSetup
import Store

/// Why a node could not start or had to stop.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    /// The data folder is not usable (keys, card, configuration, roster).
    case setup(SetupError)
    /// No roster is installed yet.
    case noRoster(dataPath: String)
    /// This node's state is not in the installed roster.
    case notInRoster(state: String, rosterVersion: UInt64)
    /// The roster's card for this node's state is not this node's card (rotated keys not yet in
    /// a roster, or a roster made for another node of the state).
    case cardDiffersFromRoster(state: String, rosterVersion: UInt64)
    /// Another node process already uses this data folder.
    case alreadyRunning(dataPath: String)
    /// The store could not be opened (or was written by a newer BorderNet), or holds a value that
    /// does not convert; the ``StoreError`` keeps the cause and says what to do.
    case store(StoreError)
    /// The audit log could not be opened or read.
    case auditLog(AuditLogError)
    /// The incident schemas could not be found or loaded.
    case schemas(String)
    /// A socket could not be set up (e.g. the port is taken).
    case network(String)

    public var description: String {
        switch self {
        case .setup(let error):
            "\(error)"
        case .noRoster(let path):
            "no roster is installed in \(path); install the one the secretariat signed with `bordernet roster install FILE --data \(path)`"
        case .cardDiffersFromRoster(let state, let version):
            "the installed roster (version \(version)) holds another card for \(state) than this node's card.json (keys, name or endpoints differ); send card.json to the secretariat and install the roster it signs"
        case .notInRoster(let state, let version):
            "this node (\(state)) is not in the installed roster (version \(version)); ask the secretariat to add its card"
        case .alreadyRunning(let path):
            "another node is already running on \(path) (its lock is held); stop it first"
        case .store(let error):
            "\(error)"
        case .auditLog(let error):
            "\(error)"
        case .schemas(let message):
            "schemas: \(message)"
        case .network(let message):
            "network: \(message)"
        }
    }
}
