import Observables
import Testing

@Suite struct SearchFoldingTests {
    @Test func lowercasesLatin() {
        #expect(SearchFolding.fold("SEA Pearl") == "sea pearl")
    }
}
