import CoreMetrics
import Foundation
import NodeSetup
import Prometheus

/// The node's counters and gauges (swift-metrics API, Prometheus registry), written every few
/// seconds to `DATA/metrics.prom` for node_exporter's textfile collector and returned by
/// `bordernet status --metrics`.
///
/// Metrics are made through this node's own factory rather than the process-wide
/// `MetricsSystem`, so the node needs no global bootstrap and tests can run several in-process.
/// Used on the I/O thread only.
final class NodeMetrics {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private var counters: [MetricKey: CoreMetrics.Counter] = [:]
    private var gauges: [MetricKey: CoreMetrics.Gauge] = [:]

    /// A metric's name and label pairs, flattened (label, value, label, value…). A key is made on
    /// every count (several per bulletin): one small array and a hash of the strings, where
    /// joining the pairs into one string cost interpolations and more allocations each time.
    private struct MetricKey: Hashable {
        let name: String
        let dimensions: [String]

        init(_ name: String, _ dimensions: [(String, String)]) {
            self.name = name
            var flat: [String] = []
            flat.reserveCapacity(dimensions.count * 2)
            for (label, value) in dimensions {
                flat.append(label)
                flat.append(value)
            }
            self.dimensions = flat
        }
    }

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Adds `amount` to the counter `name` with `dimensions` (label pairs).
    func count(_ name: String, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        let key = MetricKey(name, dimensions)
        let counter = counters[key] ?? CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
        counters[key] = counter
        counter.increment(by: amount)
    }

    /// Sets the gauge `name` with `dimensions` to `value`.
    func gauge(_ name: String, _ dimensions: [(String, String)] = [], _ value: Double) {
        let key = MetricKey(name, dimensions)
        let gauge = gauges[key] ?? CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory)
        gauges[key] = gauge
        gauge.record(value)
    }

    /// Removes every gauge `name` whose dimensions are not among `kept` (a link a new roster
    /// closed): it leaves the exposition instead of showing its last value for ever.
    func keepOnly(_ name: String, _ kept: [[(String, String)]]) {
        let keys = Set(kept.map { MetricKey(name, $0) })
        for (key, gauge) in gauges where key.name == name && !keys.contains(key) {
            gauge.destroy()
            gauges[key] = nil
        }
    }

    /// The Prometheus text exposition of every metric.
    var text: String { registry.emitToString() }

    /// Writes the exposition to `file` atomically (a temporary file renamed over it), so that
    /// the collector never reads half a file; mode 0600 like every file of the data folder.
    func write(to file: URL) throws {
        try SecureFile.write(registry.emitToBuffer(), to: file, replacing: true, durable: false)
    }
}
