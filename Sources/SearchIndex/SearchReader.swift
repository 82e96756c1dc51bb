import Clearance
import Exchange
import Foundation
import GRDB
import Store

/// The read-only view of `search.sqlite` for the console and the command line: searches, a
/// bulletin's links, alerts. Every answer is held to the reader's ``ReadableScope``.
public struct SearchReader: Sendable {
    /// The path of the index file.
    public let path: String

    /// Opens the index at `path` read-only.
    public init(path: String) throws(StoreError) {
        self.path = path
        // SKELETON: the index helper opens it read-only (as BulletinReader does).
    }

    /// A page of results for `query`, newest first.
    public func search(_ query: SearchQuery) throws(StoreError) -> SearchPage {
        // SKELETON
        SearchPage(hits: [], next: nil)
    }

    /// The bulletins linked to `id` (earlier and later) that `scope` lets the reader read, best first.
    public func links(of id: BulletinReference, scope: ReadableScope) throws(StoreError) -> [BulletinLink] {
        // SKELETON
        []
    }

    /// The last bulletin indexed (to tell a caller whether a bulletin has been indexed yet).
    public func position() throws(StoreError) -> IndexPosition? {
        // SKELETON
        nil
    }
}
