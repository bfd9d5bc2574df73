import DropsightTestSupport
import Foundation
import Logging
import Testing

@testable import GeminiEmulator

/// Starting and stopping the in-process server.
@Suite(.cleansUp) struct ServerLifecycleTests {
    @Test func portZeroBindsAFreePortAndBaseURLCarriesIt() async throws {
        let emulator = try await EmulatorHarness.start()
        #expect(emulator.emulator.port > 0)
        #expect(emulator.emulator.baseURL.absoluteString == "http://127.0.0.1:\(emulator.emulator.port)")
        let health = try await emulator.admin(.get, "health")
        #expect(health.json == .object([("ok", .bool(true))]))
        await emulator.stop()
    }

    @Test func startFailsWithTheReasonWhenThePortIsTaken() async throws {
        let first = try await EmulatorHarness.start()
        var config = EmulatorConfiguration(logger: Logger(label: "emulator-test"))
        config.port = first.emulator.port

        await #expect(throws: EmulatorStartError.self) {
            // Were it to start after all, it is stopped: no server outlives the test.
            let unexpected = try await EmulatorServer.start(config: config)
            await unexpected.stop()
        }
        await first.stop()
    }

    @Test func aTemporaryStateFolderIsRemovedAtStop() async throws {
        var config = EmulatorConfiguration(logger: Logger(label: "emulator-test"))
        config.apiKey = EmulatorHarness.key
        let emulator = try await EmulatorServer.start(config: config)
        let folder = emulator.stateDirectory
        let existed = FileManager.default.fileExists(atPath: folder.appendingPathComponent("files").path)

        await emulator.stop()

        #expect(existed)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test func aGivenStateFolderIsKept() async throws {
        let emulator = try await EmulatorHarness.start()
        await emulator.emulator.stop()
        #expect(emulator.emulator.stateDirectory == emulator.stateDirectory)
        #expect(FileManager.default.fileExists(atPath: emulator.stateDirectory.appendingPathComponent("files").path))
        try FileManager.default.removeItem(at: emulator.stateDirectory)
    }
}
