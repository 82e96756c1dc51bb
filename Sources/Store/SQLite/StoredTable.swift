/// A table of one of BorderNet's SQLite files, as errors name it: its file, its name and the
/// columns that tell one of its rows from another (its primary key, or the group of an aggregate).
///
/// Tables are static values, so that reading a row costs no allocation for its description,
/// which is only written when a value does not convert.
public struct StoredTable: Sendable {
    /// The file, as errors name it (`store`, `audit log`, `collection store`).
    public let file: String
    /// The table's name.
    public let name: String
    /// The columns that identify a row in an error.
    public let key: [String]

    /// The table `name` of `file`, whose rows `key` identifies.
    public init(file: String, name: String, key: [String]) {
        self.file = file
        self.name = name
        self.key = key
    }
}
