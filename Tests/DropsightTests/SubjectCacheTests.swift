import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// The prompts of one photo start together; they must share one opening of it (one hash, one probe, and
/// so one copy per resolution), and a changed file must be opened afresh.
@Suite struct SubjectCacheTests {
    @Test func promptsAskingTogetherShareOneOpeningOfThePhoto() async throws {
        let folder = try TemporaryFolder(prefix: "ds-subjects")
        let photo = folder.path("IMG.jpg")
        try ImageCodec.encodeJPEG(PixelImage(width: 1200, height: 900, bands: 3, fill: 120)).write(to: URL(fileURLWithPath: photo))
        let cache = SubjectCache()
        let subjects = try await withThrowingTaskGroup(of: ImageSubject.self) { group in
            for _ in 0..<3 {
                group.addTask { try await cache.subject(path: photo, root: folder.path, limits: ImageSettings()) { nil } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(subjects.map(ObjectIdentifier.init)).count == 1, "the photo was opened \(subjects.count) times")

        let subject = subjects[0]

        // The same path with other content is another subject.
        try ImageCodec.encodeJPEG(PixelImage(width: 800, height: 600, bands: 3, fill: 30)).write(to: URL(fileURLWithPath: photo))
        let changed = try await cache.subject(path: photo, root: folder.path, limits: ImageSettings()) { nil }
        #expect(changed !== subject)
        #expect(changed.info.width == 800)
    }
}
