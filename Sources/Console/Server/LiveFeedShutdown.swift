import ServiceLifecycle

extension LiveFeed {
    /// A service that waits for the console's graceful shutdown and then ends every live stream,
    /// so the HTTP server it is listed after has no endless response left to wait for.
    struct Shutdown: Service {
        let live: LiveFeed

        func run() async throws {
            // Cancelled (another service failed) or shut down: either way the streams end.
            try? await gracefulShutdown()
            live.closeAll()
        }
    }
}
