import DropsightTestSupport
import Foundation
import InMemoryLogging
import Logging
import Testing

/// The shared test helpers fail loudly where a silent default would let tests pass without testing.
@Suite struct SupportTests {
    @Test func aTemporaryFolderExistsUntilItIsCleanedUp() throws {
        let folder = try TemporaryFolder(prefix: "support-test")
        let file = try folder.write(Data("x".utf8), to: "a.txt")
        let sub = try folder.make("b/c")
        #expect(FileManager.default.fileExists(atPath: file) && FileManager.default.fileExists(atPath: sub))
        #expect(folder.path("a.txt") == file && folder.path.hasPrefix(FileManager.default.temporaryDirectory.path))
        folder.cleanup()
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func theReferenceExamplesAreFoundBesideTheRepository() throws {
        let directory = try ReferenceExamples.directory()
        #expect(directory.path.hasSuffix("/shared/reference/gemini-examples"))
        #expect(try ReferenceExamples.names(prefix: "spatial_").count >= 8)
    }

    @Test func aMissingFileIsAnErrorThatSaysWhereItLooked() throws {
        let error = try #require(throws: RepositoryFiles.NotFound.self) {
            try RepositoryFiles.locate("no/such/reference-folder")
        }
        #expect(
            error.looked.first
                == URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("no/such/reference-folder").path)
        #expect(error.looked.last == "/no/such/reference-folder")
        #expect(error.description.contains("no/such/reference-folder was not found beside any folder above \(#filePath)"))
        #expect(throws: ReferenceExamples.MissingExample.self) { try ReferenceExamples.data("no-such-example.json") }
    }

    @Test func startingOutsideACleanupScopeStopsAtOnceAndThrows() async throws {
        let ran = OnceFlag()
        await #expect(throws: TestCleanups.MissingScope.self) {
            try await TestCleanups.register { _ = ran.claim() }
        }
        #expect(!ran.claim(), "the action did not run")
    }

    @Test(.cleansUp) func insideTheScopeTheActionWaitsForTheEndOfTheTest() async throws {
        let ran = OnceFlag()
        try await TestCleanups.register { _ = ran.claim() }
        #expect(ran.claim(), "the action ran before the end of the test")
    }

    @Test func aOnceFlagIsClaimedOnce() {
        let flag = OnceFlag()
        #expect(flag.claim())
        #expect(!flag.claim())
    }

    @Test func recordedLogLinesCarryTheLevel() {
        let handler = InMemoryLogHandler(level: .debug)
        let logger = handler.logger()
        logger.trace("hidden")
        logger.debug("shown", metadata: ["k": "v"])
        logger.warning("careful")
        #expect(handler.lines == ["debug shown", "warning careful"])
        #expect(handler.messages == ["shown", "careful"])
        #expect(handler.contains("warning care") && !handler.contains("hidden"))
    }
}
