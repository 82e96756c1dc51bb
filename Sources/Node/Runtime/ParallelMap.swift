import Dispatch
import Synchronization

/// Runs the costly, position-independent part of a batch (opening envelopes, validating drafts)
/// on every core while the I/O thread waits, keeping the results in the items' order.
enum ParallelMap {
    /// `transform` applied to every item, on all cores when there are at least
    /// `parallelFrom` items (below that, spreading the work costs more than it saves).
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], parallelFrom minimum: Int = 4, _ transform: @Sendable (Item) -> Output
    ) -> [Output] {
        guard items.count >= minimum else { return items.map(transform) }
        let results = Mutex<[Output?]>(Array(repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let output = transform(items[index])
            results.withLock { $0[index] = output }
        }
        // Every slot was filled above: concurrentPerform returns after the last iteration.
        return results.withLock { $0 }.compactMap { $0 }
    }
}
