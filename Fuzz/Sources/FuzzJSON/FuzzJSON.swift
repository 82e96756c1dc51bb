@_spi(Fuzzing) import BulletinSchema
import FuzzSupport

// The strict JSON parser (`JSONParser`, BulletinSchema): every bulletin, draft and control post
// goes through it before anything else reads it. It has two readers over one grammar: the tree
// (`parse`, what the node's other readers get) and the tape (what validation walks).
//
// Input: one byte choosing the maximum depth (1–64; 4 is the control post's, 64 the default),
// then the JSON text.
// Invariants: what parses prints (`description`, compact JSON) to text that parses back to an
// equal value; the tape reader (`parseThroughTape`, `@_spi(Fuzzing)`) accepts exactly what the
// tree reader accepts, with the same value and text flags, and refuses the rest with the same
// error (offset and reason).
// Seeds: Schemas/examples (valid and invalid bulletins), the vectors' JSON, handwritten edge cases.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let depth = Int(input.byte() % 64) + 1
    let bytes = input.rest()
    let parser = JSONParser(maximumDepth: depth)
    let tree = Result { () throws(JSONParseError) in try parser.parseNotingText(bytes) }
    let tape = Result { () throws(JSONParseError) in try parser.parseThroughTape(bytes) }
    switch (tree, tape) {
    case (.success(let fromTree), .success(let fromTape)):
        fuzzRequire(fromTape.value == fromTree.value, "the tape reads another value than the tree")
        fuzzRequire(
            fromTape.containsForbiddenText == fromTree.containsForbiddenText
                && fromTape.containsLineBreak == fromTree.containsLineBreak,
            "the tape's text flags differ from the tree's")
        let value = fromTree.value
        let printed = value.description
        let again = try? JSONParser(maximumDepth: 64).parse(Array(printed.utf8))
        fuzzRequire(again == value, "parse(description) differs: \(printed.prefix(200))")
        _ = value.schemaType
    case (.failure(let treeError), .failure(let tapeError)):
        fuzzRequire(tapeError == treeError, "the readers refuse differently: tree \(treeError), tape \(tapeError)")
        _ = "\(treeError)"
    case (.success, .failure(let tapeError)):
        fuzzRequire(false, "the tape refuses what the tree accepts: \(tapeError)")
    case (.failure(let treeError), .success):
        fuzzRequire(false, "the tape accepts what the tree refuses: \(treeError)")
    }
    return 0
}
