import Clearance
import Exchange
import Foundation
import Observables
import Store
import Testing

@testable import SearchIndex

@Suite("Search examines a bounded number of rows a page")
struct SearchBoundTests {
    /// 60 bulletins saying "patrol": the two oldest customs, the rest security.
    static func fixture() throws -> IndexFixture {
        let fixture = try IndexFixture()
        try fixture.add(
            (1...60).map { number in
                (IndexFixture.bulletin(number, workingGroup: number <= 2 ? "customs" : "security"), IndexFixture.titled("patrol \(number)"))
            })
        return fixture
    }

    static let customs = ReadableScope.restricted(workingGroups: [.customs], tlps: [.green], permittedHandling: [])

    @Test("a restricted reader's query over many matches outside its scope stops at the bound with a cursor, and the cursor goes on")
    func textScanBounded() throws {
        let fixture = try Self.fixture()
        let reader = try fixture.reader()
        for text in ["patrol", nil] as [String?] {
            var query = SearchQuery(scope: Self.customs, text: text)
            // At most 25 rows a page: the first two pages find nothing and give a cursor.
            var pages: [SearchPage] = []
            for _ in 0..<10 {
                let page = try reader.search(query, examining: 25)
                pages.append(page)
                guard let next = page.next else { break }
                query.after = next
            }
            #expect(pages.count == 3, "\(text ?? "no text")")
            #expect(pages.dropLast().allSatisfy { $0.hits.isEmpty && $0.next != nil })
            #expect(pages.last?.hits.map(\.reference) == [IndexFixture.reference(2), IndexFixture.reference(1)])
            #expect(pages.last?.next == nil)
            // Without a small bound (10,000) one page finds both.
            let whole = try reader.search(SearchQuery(scope: Self.customs, text: text))
            #expect(whole.hits.count == 2 && whole.next == nil)
        }
        #expect(SearchFilter.maximumRowsExamined == 10_000)
    }

    @Test("a bound reached while the page fills keeps the newest-first order and never skips a hit")
    func pagesAcrossTheBound() throws {
        let fixture = try Self.fixture()
        let reader = try fixture.reader()
        let security = ReadableScope.restricted(workingGroups: [.security], tlps: [.green], permittedHandling: [])
        var query = SearchQuery(scope: security, text: "patrol", limit: 7)
        var seen: [BulletinReference] = []
        for _ in 0..<40 {
            let page = try reader.search(query, examining: 10)
            seen += page.hits.map(\.reference)
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen == (3...60).reversed().map { IndexFixture.reference($0) })
    }
}
