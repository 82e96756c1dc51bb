import FuzzSupport
import NodeSetup
import Region

// The TOML reader (`TOMLDocument`, NodeSetup/Configuration) and what reads its documents: the node's
// settings (`NodeConfiguration(document:)`, node.toml) and the region file
// (`RegionPlan(document:)` of Region, Deploy/region/*.toml).
//
// Input: the file's bytes, decoded as the node decodes node.toml (invalid UTF-8 replaced).
// Invariant: settings that load render (`renderedFile`, what `bordernet init` writes) to a file
// that loads back to the same settings (finding id `toml-render` for FUZZ_ALLOW).
// Seeds: the default node.toml, Deploy/region/*.toml, handwritten edge cases (dotted keys, escapes,
// arrays, comments, CRLF).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let document: TOMLDocument
    do {
        document = try TOMLDocument(parsing: text)
    } catch {
        _ = "\(error)"
        return 0
    }
    for (table, values) in document.tables {
        for key in values.keys { _ = document.value(table, key) }
    }
    do {
        let configuration = try NodeConfiguration(document: document)
        let rendered = configuration.renderedFile
        let again = try? NodeConfiguration(document: TOMLDocument(parsing: rendered))
        fuzzRequire(
            again == configuration || fuzzAllows("toml-render"),
            "renderedFile does not load back to the same settings:\n\(rendered)")
    } catch {
        _ = "\(error)"
    }
    _ = try? RegionPlan(document: document)
    return 0
}
