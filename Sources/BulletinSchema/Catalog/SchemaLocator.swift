import Foundation

/// Finds the schema directory (a folder containing `bulletin.schema.json`).
///
/// Search order, first match wins:
/// 1. the directory given explicitly (`--schemas DIR`); if it is wrong, that is an error;
/// 2. the environment variable `BORDERNET_SCHEMAS`; if it is set and wrong, that is an error;
/// 3. `<directory of the executable>/../share/bordernet/schemas` (an installed node);
/// 4. walking up from the current directory, the first `Schemas/` holding `bulletin.schema.json`
///    (a developer's checkout);
/// 5. the same walk up from the directory of the executable (`.build/debug/bordernet`).
public enum SchemaLocator {
    /// The environment variable that names the schema directory.
    public static let environmentVariable = "BORDERNET_SCHEMAS"

    /// The schema directory, searched in the documented order.
    public static func locate(
        explicit: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws(SchemaLoadError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: currentDirectory).standardizedFileURL
            guard isSchemaDirectory(url) else { throw .notASchemaDirectory(path: url.path, source: "--schemas") }
            return url
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            let url = URL(fileURLWithPath: fromEnvironment, relativeTo: currentDirectory).standardizedFileURL
            guard isSchemaDirectory(url) else { throw .notASchemaDirectory(path: url.path, source: environmentVariable) }
            return url
        }
        var searched: [String] = []
        let executableDirectory = executable?.resolvingSymlinksInPath().deletingLastPathComponent()
        if let executableDirectory {
            let installed = executableDirectory.appendingPathComponent("../share/bordernet/schemas").standardizedFileURL
            if isSchemaDirectory(installed) { return installed }
            searched.append(installed.path)
        }
        for start in [currentDirectory, executableDirectory].compactMap({ $0 }) {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("Schemas")
                if isSchemaDirectory(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
            searched.append("\(start.path) and its parents (Schemas/)")
        }
        throw .notFound(searched: searched)
    }

    /// Whether `url` holds a `bulletin.schema.json`.
    public static func isSchemaDirectory(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("bulletin.schema.json").path)
    }
}
