import Names
import Synchronization

/// Persons' names prepared (``PersonName``: normalised, cut into units, transcribed) once per
/// spelling: correlation compares each new person with earlier ones whose spellings repeat from
/// bulletin to bulletin (Mohamed, Ben Ali), and preparing a name costs more than comparing two.
/// Bounded: when it holds ``capacity`` spellings it starts again empty.
final class PersonNameCache: Sendable {
    /// The most spellings kept (a few MiB).
    static let capacity = 10_000
    /// The longest spelling kept, in UTF-8 bytes (a name is read up to 256 scalars anyway).
    static let longestKept = 1_024
    private let prepared = Mutex<[String: PersonName]>([:])

    /// `text` prepared, from the cache when it was prepared before.
    func name(_ text: String) -> PersonName {
        guard text.utf8.count <= Self.longestKept else { return PersonName(text) }
        if let known = prepared.withLock({ $0[text] }) { return known }
        let name = PersonName(text)
        prepared.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = name
        }
        return name
    }
}
