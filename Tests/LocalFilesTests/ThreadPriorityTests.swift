import Foundation
import LocalFiles
import Synchronization
import Testing

@Suite struct ThreadPriorityTests {
    @Test("a thread lowers its own priority, not the process's")
    func lowersOnlyTheCallingThread() {
        let before = ThreadPriority.currentThreadNice
        let seen = Mutex<(failure: String?, nice: Int32)?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let failure = ThreadPriority.setCurrentThread(nice: ThreadPriority.background)
            seen.withLock { $0 = (failure, ThreadPriority.currentThreadNice) }
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: .now() + 10) == .success)
        let result = seen.withLock { $0 }
        #expect(result?.failure == nil)
        #expect(result?.nice == ThreadPriority.background)
        #expect(ThreadPriority.currentThreadNice == before)
    }
}
