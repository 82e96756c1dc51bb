/// Folds text of the region's scripts into the form a search index stores and a query is read in,
/// so that the spellings a person types and the spellings a bulletin holds meet (issue 18, item 1):
/// Arabic without diacritics or tatweel, alef and hamza forms as ا, ة as ه, ى as ي; Latin without
/// accents, lowercased. Bounded: at most ``maximumScalars`` scalars are read.
public enum SearchFolding {
    /// The most scalars of one text that are folded (the rest is not indexed).
    public static let maximumScalars = 65_536

    /// `text` folded (see the type's description), words separated by single spaces.
    public static func fold(_ text: String) -> String {
        // SKELETON: the Observables helper replaces this with the full folding.
        text.lowercased()
    }
}
