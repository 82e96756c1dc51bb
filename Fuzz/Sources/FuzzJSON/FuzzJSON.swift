import BulletinSchema
import FuzzSupport

// The strict JSON parser (`JSONParser`, BulletinSchema): every bulletin, draft and control post
// goes through it before anything else reads it.
//
// Input: one byte choosing the maximum depth (1–64; 4 is the control post's, 64 the default),
// then the JSON text.
// Invariant: what parses prints (`description`, compact JSON) to text that parses back to an
// equal value.
// Seeds: Schemas/examples (valid and invalid bulletins), the vectors' JSON, handwritten edge cases.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let depth = Int(input.byte() % 64) + 1
    let bytes = input.rest()
    let parser = JSONParser(maximumDepth: depth)
    do {
        let value = try parser.parse(bytes)
        let printed = value.description
        let again = try? JSONParser(maximumDepth: 64).parse(Array(printed.utf8))
        fuzzRequire(again == value, "parse(description) differs: \(printed.prefix(200))")
        _ = value.schemaType
    } catch {
        _ = "\(error)"
    }
    return 0
}
