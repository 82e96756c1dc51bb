import Sodium

/// Decodes a hexadecimal literal of a test vector (the vectors are constants: a typo fails the test).
func hex(_ text: String) -> [UInt8] {
    (try? Hex.decode(text)) ?? []
}
