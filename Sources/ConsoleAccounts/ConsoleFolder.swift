import Foundation
import LocalFiles

/// The console's own folder (`/var/lib/bordernet-console` by default): private to the console's
/// user (0700), and never a node's data folder.
enum ConsoleFolder {
    /// What only a node's or the secretariat's data folder holds.
    static let nodeMarkers = ["keys", "node.toml", "secretariat.key"]

    /// Refuses a node's data folder; creates `folder` (and its parents) with mode 0700 when it
    /// does not exist, and narrows an existing one to 0700.
    static func prepare(_ folder: URL) throws(AccountError) {
        let path = folder.path
        if nodeMarkers.contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) {
            throw .nodeDataFolder(path: path)
        }
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotPrepareFolder(path: path, reason: error.localizedDescription)
        }
        if LocalFile.permissions(of: path)?.rawValue != 0o700 {
            do {
                try LocalFile.setPermissions(0o700, of: path)
            } catch {
                throw .cannotPrepareFolder(path: path, reason: "\(error)")
            }
        }
    }
}
