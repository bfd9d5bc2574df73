import Hummingbird

extension RequestBody {
    /// Reads and discards the body, so the connection can carry the next request.
    func drain() async {
        do {
            for try await _ in self {}
        } catch {}
    }
}
