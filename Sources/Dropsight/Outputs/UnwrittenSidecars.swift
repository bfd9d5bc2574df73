import Foundation

/// Images whose finished results are in the Store but whose sidecar could not be written yet.
///
/// Each failure pushes the image's next try back (5 s, 10 s, 20 s, 40 s, then every 60 s), so a disk
/// that stays full does not make the daemon redraw every waiting overlay every few seconds.
actor UnwrittenSidecars {
    struct Entry: Sendable {
        var facts: Sidecar.ImageFacts
        var location: OutputLocation
        var failures = 0
        var due = ContinuousClock.Instant.now
    }

    private var entries: [String: Entry] = [:]

    func add(_ path: String, _ entry: Entry) {
        var updated = entry
        updated.failures = (entries[path]?.failures ?? 0) + 1
        updated.due = .now + .seconds(min(60, 5 << min(updated.failures - 1, 4)))
        entries[path] = updated
    }

    func remove(_ path: String) { entries[path] = nil }
    func due(at now: ContinuousClock.Instant) -> [(String, Entry)] {
        entries.filter { $0.value.due <= now }.sorted { $0.key < $1.key }
    }
    var count: Int { entries.count }
}
