/// Why a JSON input is not a usable JSON object; the description names the input and the spot.
public struct JSONInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the input.
    public enum Problem: Sendable, Equatable {
        /// Byte number `byte` (from 1) is not part of a UTF-8 character.
        case invalidUTF8(byte: Int, value: UInt8)
        /// Nothing but whitespace.
        case empty
        /// Not JSON: `reason` at `line`, `column` (from 1).
        case invalidJSON(reason: String, line: Int, column: Int)
        /// Objects and arrays nest deeper than `limit`.
        case tooDeep(limit: Int, line: Int, column: Int)
        /// Valid JSON, but `kind` ("an array", "a string"…) where an object is needed.
        case notAnObject(kind: String)
    }

    /// The input: `--details`, a file's path, `control request`.
    public let source: String
    /// What is wrong with it.
    public let problem: Problem

    /// The error for `problem` in `source`.
    public init(source: String, problem: Problem) {
        self.source = source
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .invalidUTF8(let byte, let value):
            "\(source) is not valid UTF-8 at byte \(byte) (0x\(String(value, radix: 16, uppercase: true))); save or type it as UTF-8"
        case .empty:
            "\(source) is empty; give a JSON object, {…}"
        case .invalidJSON(let reason, let line, let column):
            "\(source) is not valid JSON: \(reason) at line \(line) column \(column)"
        case .tooDeep(let limit, let line, let column):
            "\(source) nests deeper than \(limit) levels (at line \(line) column \(column))"
        case .notAnObject(let kind):
            "\(source) is JSON but not an object (it is \(kind)); give a JSON object, {…}"
        }
    }
}
