import BulletinSchema
import Exchange
import Foundation

/// The bulletin schemas a node reads, as the roster speaks of them: `major.minor` of the
/// `x-schema-version` of the schemas the node loads (docs/PROTOCOL.md §6.1, docs/SCHEMAS.md §6).
///
/// A roster member's ``RosterMember/readsSchema`` must never exceed what its node's schemas read:
/// origins would then send it bulletins it refuses. ``check(_:state:reads:schemas:)`` is that
/// rule, applied by `roster install` and by the node when it starts.
public enum NodeSchemas {
    /// `major.minor` of a schema version (the patch only fixes labels). Parts above 255, which
    /// no envelope header can carry, are clamped.
    public static func readsSchema(_ version: SchemaVersion) -> BodySchemaVersion {
        BodySchemaVersion(major: UInt8(clamping: version.major), minor: UInt8(clamping: version.minor))
    }

    /// What the schemas in `directory` read.
    public static func reads(schemasIn directory: URL) throws(SetupError) -> BodySchemaVersion {
        do {
            return readsSchema(try SchemaCatalog.load(from: directory).version)
        } catch {
            throw SetupError.invalidContent(path: directory.path, reason: "the schemas cannot be loaded: \(error)")
        }
    }

    /// The folder a node with `configuration` loads its schemas from — its `paths.schemas`, else
    /// the search of docs/SCHEMAS.md §8 from this process — and what they read.
    public static func locate(for configuration: NodeConfiguration) throws(SetupError) -> (directory: URL, reads: BodySchemaVersion) {
        let directory: URL
        do {
            directory = try SchemaLocator.locate(explicit: configuration.schemasPath.isEmpty ? nil : configuration.schemasPath)
        } catch {
            throw SetupError.missing(path: configuration.schemasPath.isEmpty ? "(search of docs/SCHEMAS.md §8)" : configuration.schemasPath, what: "bulletin schemas (\(error))")
        }
        return (directory, try reads(schemasIn: directory))
    }

    /// Refuses `roster` for the node of `state` whose schemas (in `schemas`) read `reads` when
    /// the roster declares that the node reads more: a newer minor version, or another major one.
    /// A roster declaring less (the node was upgraded, the roster not yet) is fine: origins then
    /// send it only what the roster says. A roster without `state` is not this check's business.
    public static func check(_ roster: Roster, state: StateCode, reads: BodySchemaVersion, schemas: String) throws(SetupError) {
        guard let member = roster.member(state), !reads.reads(member.readsSchema) else { return }
        throw SetupError.readsSchemaBeyondSchemas(
            state: state, declared: member.readsSchema, loaded: reads, rosterVersion: roster.version, schemas: schemas)
    }
}
