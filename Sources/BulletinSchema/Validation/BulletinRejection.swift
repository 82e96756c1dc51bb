/// A bulletin refused by ``SchemaCatalog/validate(_:stage:)``, with every reason found.
public struct BulletinRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failures, in document order of their pointers; never empty.
    public let failures: [ValidationFailure]

    /// All failures rendered in `language`, one per line.
    public func lines(in language: Language) -> [String] {
        failures.map { $0.line(in: language) }
    }

    public var description: String {
        "bulletin refused: " + lines(in: .en).joined(separator: "; ")
    }
}
