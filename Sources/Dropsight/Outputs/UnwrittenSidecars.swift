import Foundation

/// Images whose finished results are in the Store but whose sidecar could not be written yet.
///
/// Each failure pushes the image's next try back (5 s, doubling up to an hour), so a disk that stays full does
/// not make the daemon redraw every waiting overlay again and again. A permanent failure (``OutputFailure``)
/// is not tried again here: the scan of a reload or of the next start writes every missing sidecar.
actor UnwrittenSidecars {
    struct Entry: Sendable {
        var facts: Sidecar.ImageFacts
        var location: OutputLocation
        var failures = 0
        var due = ContinuousClock.Instant.now
    }

    /// The longest wait between two tries of a sidecar the disk refused.
    static let longestWait: Duration = .seconds(3600)
    private var entries: [String: Entry] = [:]

    func add(_ path: String, _ entry: Entry, permanent: Bool) {
        var updated = entry
        updated.failures = (entries[path]?.failures ?? 0) + 1
        let wait: Duration = permanent ? .seconds(86_400 * 365) : min(Self.longestWait, .seconds(5 << min(updated.failures - 1, 10)))
        updated.due = .now + wait
        entries[path] = updated
    }

    func remove(_ path: String) { entries[path] = nil }
    func due(at now: ContinuousClock.Instant) -> [(String, Entry)] {
        entries.filter { $0.value.due <= now }.sorted { $0.key < $1.key }
    }

}
