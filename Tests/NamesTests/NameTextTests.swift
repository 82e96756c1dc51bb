import Names
import Testing

@Suite("NameText normalisation")
struct NameTextTests {
    @Test func placeholder() { #expect(NameText.normalized("Abd el-Kader") == "abd el kader") }
}
