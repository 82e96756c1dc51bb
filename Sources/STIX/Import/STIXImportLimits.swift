/// How much of a STIX bundle `bordernet import stix` reads: the file may come from anyone, so its
/// size, its number of objects and its nesting are bounded before anything is mapped.
public struct STIXImportLimits: Sendable, Hashable {
    /// The largest bundle read by default: 16 MiB.
    public static let defaultMaximumBytes = 16 << 20
    /// The most a person may raise the size bound to: 256 MiB.
    public static let ceilingBytes = 256 << 20
    /// The most objects read by default.
    public static let defaultMaximumObjects = 50_000
    /// The deepest nesting of arrays and objects read (a BorderNet bundle needs about 12; a
    /// bulletin's own details at most 32 below the extension).
    public static let maximumDepth = 48

    /// The largest bundle read, in bytes.
    public var maximumBytes: Int
    /// The most objects in the bundle's `objects`.
    public var maximumObjects: Int

    /// Limits of `maximumBytes` and `maximumObjects`.
    public init(
        maximumBytes: Int = STIXImportLimits.defaultMaximumBytes,
        maximumObjects: Int = STIXImportLimits.defaultMaximumObjects
    ) {
        self.maximumBytes = maximumBytes
        self.maximumObjects = maximumObjects
    }
}
