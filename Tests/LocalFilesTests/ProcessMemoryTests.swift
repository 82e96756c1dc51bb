import Foundation
import LocalFiles
import Synchronization
import Testing

/// The limit applies to the whole test process (shared with every other test); what can fail
/// here is glibc refusing it, or allocation breaking under it.
@Suite struct ProcessMemoryTests {
    @Test("the allocator takes a limit of two arenas, and threads allocating at once afterwards still get their memory")
    func limitsArenas() {
        #expect(ProcessMemory.limitAllocatorArenas(to: 2))
        let threads = 8
        let totals = Mutex<[Int: Int]>([:])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var total = 0
            for round in 0..<200 {
                let block = [Int](repeating: round, count: 1_000 + thread)
                total += block.count
            }
            totals.withLock { $0[thread] = total }
        }
        let seen = totals.withLock { $0 }
        for thread in 0..<threads {
            #expect(seen[thread] == 200 * (1_000 + thread))
        }
    }
}
