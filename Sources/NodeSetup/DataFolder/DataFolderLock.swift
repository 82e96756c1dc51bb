import LocalFiles

/// An exclusive lock on `DATA/node.lock`, so that two node processes never share a store and a
/// control socket. The kernel releases it if the process dies. The demo takes it for an instant
/// to learn whether a node runs on a folder.
public struct DataFolderLock {
    private let lock: FileLock

    /// Takes the lock; `nil` when another process holds it (a node runs on the folder).
    public init?(directory: NodeDirectory) throws(SetupError) {
        let path = directory.root.appendingPathComponent("node.lock").path
        let acquired: FileLock?
        do {
            acquired = try FileLock.acquire(at: path, permissions: .ownerReadWrite)
        } catch {
            throw SetupError.cannotWrite(path: path, reason: error.reason)
        }
        guard let acquired else { return nil }
        lock = acquired
    }

    /// Releases the lock.
    public func release() {
        lock.release()
    }
}
