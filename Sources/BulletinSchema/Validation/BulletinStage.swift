/// Where a bulletin is in its life, which decides whether it may carry an `id`.
///
/// The bulletin id is assigned by the origin node when the bulletin is posted: a **draft** (what an
/// officer submits to the local node) must not carry one; an **issued** bulletin (stored, sent,
/// received) must. Everything else is validated identically.
public enum BulletinStage: String, Sendable, Codable, CaseIterable {
    /// Submitted to the local node, before it assigns the id.
    case draft
    /// Assigned an id by its origin node; what is stored and exchanged.
    case issued
}
