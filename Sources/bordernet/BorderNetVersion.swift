/// The version of BorderNet that this executable was built from.
enum BorderNetVersion {
    /// Semantic version printed by `bordernet --version` and stamped into packages.
    static let current = "0.1.0"
}
