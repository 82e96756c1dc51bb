import Exchange
import Foundation

/// A node's `card.json`: the JSON form of its identity card (docs/PROTOCOL.md §3) and, beside it,
/// an advisory `"readsSchema": "1.1"` — the schema version of the schemas the node found when it
/// was set up — which `bordernet roster add` copies into the roster draft.
///
/// The advisory member is not part of the card (its canonical bytes and the roster's copy of the
/// card leave it out); a reader of cards that does not know it ignores it.
public struct CardFile: Sendable, Equatable {
    /// The identity card.
    public let card: IdentityCard
    /// The schema version the node said it reads when the file was written, if it said.
    public let readsSchema: BodySchemaVersion?

    /// A card file of `card`, saying `readsSchema` when given.
    public init(card: IdentityCard, readsSchema: BodySchemaVersion? = nil) {
        self.card = card
        self.readsSchema = readsSchema
    }

    private enum CodingKeys: String, CodingKey {
        case readsSchema
    }

    /// Reads a card file; what is wrong with it is a `DecodingError` naming the member.
    public init(json: Data) throws {
        let decoder = JSONDecoder()
        card = try decoder.decode(IdentityCard.self, from: json)
        readsSchema = try decoder.decode(Advisory.self, from: json).readsSchema
        if let readsSchema, !RosterMember.isValidReadsSchema(readsSchema) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: [CodingKeys.readsSchema], debugDescription: "readsSchema \(readsSchema): schema versions start at 1.0"))
        }
    }

    /// The file's bytes: pretty-printed JSON with sorted members, and a final newline.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(Form(file: self))) + [0x0A]
    }

    private struct Advisory: Decodable {
        let readsSchema: BodySchemaVersion?
    }

    private struct Form: Encodable {
        let file: CardFile

        func encode(to encoder: any Encoder) throws {
            try file.card.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(file.readsSchema, forKey: .readsSchema)
        }
    }
}
