import DropsightTestSupport
import Foundation
import Logging
import Testing

@testable import GeminiEmulator

/// `--latency-ms` with `--latency-max-ms`: a seeded random wait before model answers.
@Suite(.cleansUp) struct LatencyTests {
    @Test func jitterDrawsStayInTheRangeVaryAndReplayWithTheSeed() {
        let draws = { (seed: UInt64) in
            let latency = Latency(minimum: 20, maximum: 80, seed: seed)
            return (0..<100).map { _ in latency.nextMilliseconds() }
        }
        let first = draws(9)

        #expect(first.allSatisfy { (20...80).contains($0) })
        #expect(Set(first).count > 20)
        #expect(first.contains { $0 < 35 } && first.contains { $0 > 65 })
        #expect(draws(9) == first)
        #expect(draws(10) != first)
        #expect(Latency(minimum: 15, maximum: nil, seed: 1).nextMilliseconds() == 15)
    }

    @Test func everyModelAnswerWaitsAtLeastTheSmallestLatency() async throws {
        let emulator = try await EmulatorHarness.start {
            $0.latencyMilliseconds = 40
            $0.latencyMaxMilliseconds = 70
        }
        let body = #"{"contents": [{"parts": [{"text": "hi"}]}]}"#
        let routes = ["generateContent", "streamGenerateContent", "countTokens"]
        var durations: [Int] = []
        for route in routes {
            let reply = try await emulator.postJSON("/v1beta/models/gemini-2.5-flash:\(route)", body)
            #expect(reply.status == 200)
            let timing = try #require(reply.header("Server-Timing"))
            durations.append(try #require(Int(timing.split(separator: "=").last ?? "")))
        }

        #expect(durations.count == 3)
        #expect(durations.allSatisfy { $0 >= 40 })
        await emulator.stop()
    }

    @Test func aLargestLatencyBelowTheSmallestIsRefusedAtStart() async throws {
        var config = EmulatorConfiguration(logger: Logger(label: "emulator-test"))
        config.latencyMilliseconds = 100
        config.latencyMaxMilliseconds = 50

        await #expect(throws: EmulatorStartError.self) {
            // Were it to start after all, it is stopped: no server outlives the test.
            let unexpected = try await EmulatorServer.start(config: config)
            await unexpected.stop()
        }
    }
}
