import BulletinSchema
import FuzzSupport

// Bulletin validation (docs/SCHEMAS.md): `SchemaCatalog.load` of this checkout's Schemas/ (once),
// then `validate(_:stage:)` of the fuzzed JSON, as a node does for a post and for every
// decrypted envelope body, and the rejection's messages in ar, fr and en.
//
// Input: one byte, bit 0 chooses the stage (draft / issued), then the bulletin JSON.
// Seeds: Schemas/examples and Schemas/examples/invalid, in both stages.

private let catalog: SchemaCatalog = {
    do {
        return try SchemaCatalog.load(from: FuzzVectors.shared.repository.appendingPathComponent("Schemas"))
    } catch {
        fatalError("FuzzBulletin cannot load Schemas/: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBulletin(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let stage: BulletinStage = input.byte() & 1 == 0 ? .draft : .issued
    let bytes = input.rest()
    do {
        let bulletin = try catalog.validate(bytes, stage: stage)
        fuzzRequire(
            catalog.incidentType(bulletin.incidentType) != nil,
            "a valid bulletin of unknown type \(bulletin.incidentType)")
        _ = bulletin.value.description
    } catch {
        fuzzRequire(!error.failures.isEmpty, "a rejection without failures")
        for language in Language.allCases {
            _ = error.lines(in: language)
        }
    }
    return 0
}
