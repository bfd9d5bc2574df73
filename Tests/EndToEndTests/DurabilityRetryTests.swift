import Foundation
import Store
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Retries {
        /// Two 503s, then an answer: the job comes back after a backoff and ends with one good sidecar.
        @Test func transientErrorsAreRetried() async throws {
            let h = try await Harness()
            try await h.admin("faults", #"[{"route": "generateContent", "count": 2, "status": 503}]"#)
            let daemon = try await RunningDaemon.start(h)
            let image = try h.dropImage(named: "flaky.jpg")
            let sidecar = try #require(await h.waitForSidecar(image, seconds: 60))
            await daemon.stop()
            #expect(sidecar.prompts["caption"]?.status == .ok)
            let statuses = try await h.generateRequests().compactMap { $0["status"] as? Int }
            #expect(statuses == [503, 503, 200])
            #expect(daemon.logs.contains("attempt 2 failed, trying again"))
            await h.stop()
        }

        /// A 429 with RetryInfo 3 s: no request is sent before the 3 s are over, and the job then succeeds.
        @Test func aRateLimitAnswerIsHonoured() async throws {
            let h = try await Harness()
            try await h.admin("faults", #"[{"route": "generateContent", "count": 1, "status": 429, "retryAfterSeconds": 3}]"#)
            let daemon = try await RunningDaemon.start(h)
            let first = try h.dropImage(named: "one.jpg")
            #expect(await eventually(20) { try await h.generateRequests().count == 1 })
            let second = try h.dropImage(named: "two.jpg")
            #expect(await h.waitForSidecar(first, seconds: 60)?.prompts["caption"]?.status == .ok)
            #expect(await h.waitForSidecar(second, seconds: 60)?.prompts["caption"]?.status == .ok)
            await daemon.stop()
            let requests = try await h.generateRequests()
            #expect(requests.compactMap { $0["status"] as? Int } == [429, 200, 200])
            let times = requests.compactMap { ($0["time"] as? String).flatMap(Self.parse) }
            try #require(times.count == 3)
            // Both the retry and the other image's first request waited for the delay asked for.
            #expect(times[1].timeIntervalSince(times[0]) >= 2.9)
            #expect(times[2].timeIntervalSince(times[0]) >= 2.9)
            await h.stop()
        }

        /// A 400 is not retried: the job fails at once and the sidecar says why.
        @Test func permanentErrorsFailAtOnceWithTheReasonInTheSidecar() async throws {
            let h = try await Harness()
            try await h.admin(
                "faults", #"[{"route": "generateContent", "count": 1, "status": 400, "message": "Request contains an invalid argument."}]"#)
            let daemon = try await RunningDaemon.start(h)
            let image = try h.dropImage(named: "bad.jpg")
            let sidecar = try #require(await h.waitForSidecar(image))
            await h.waitUntilRecorded()
            await daemon.stop()
            let caption = try #require(sidecar.prompts["caption"])
            #expect(caption.status == .error)
            #expect(caption.error?.code == "400 INVALID_ARGUMENT")
            #expect(caption.error?.message == "Request contains an invalid argument.")
            #expect(try await h.generateRequests().count == 1)
            let status = try await Store(path: h.stateDir + "/dropsight.sqlite3").status(now: Date())
            #expect(status.counts[.failed] == 1)
            #expect(status.recentFailures.first?.failure.message == "Request contains an invalid argument.")
            await h.stop()
        }

        /// With max_attempts = 3 and a server that keeps failing, the job stops after 3 requests.
        @Test func aJobNeverRetriesPastMaxAttempts() async throws {
            let h = try await Harness(api: "max_attempts = 3")
            try await h.admin("faults", #"[{"route": "generateContent", "count": 10, "status": 503}]"#)
            let daemon = try await RunningDaemon.start(h)
            let image = try h.dropImage(named: "doomed.jpg")
            let sidecar = try #require(await h.waitForSidecar(image, seconds: 60))
            #expect(sidecar.prompts["caption"]?.status == .error)
            #expect(sidecar.prompts["caption"]?.error?.code == "503 UNAVAILABLE")
            try await Task.sleep(for: .seconds(5))
            await daemon.stop()
            #expect(try await h.generateRequests().count == 3)
            let status = try await Store(path: h.stateDir + "/dropsight.sqlite3").status(now: Date())
            #expect(status.recentFailures.first?.attempts == 3)
            await h.stop()
        }

        /// A daily-quota 429 pauses all work, records the pause for `dropsight status`, and keeps it over a restart.
        @Test func aDailyQuotaPausesEverything() async throws {
            let h = try await Harness()
            try await h.admin("limits", #"{"rpd": 1}"#)
            var daemon = try await RunningDaemon.start(h)
            let first = try h.dropImage(named: "first.jpg")
            #expect(await h.waitForSidecar(first)?.prompts["caption"]?.status == .ok)
            let second = try h.dropImage(named: "second.jpg")
            let third = try h.dropImage(named: "third.jpg")
            let store = try Store(path: h.stateDir + "/dropsight.sqlite3")
            #expect(await eventually(30) { try await store.status(now: Date()).pausedUntil != nil })
            // Both may have been in flight when the first 429 came; after that nothing more is sent.
            try await Task.sleep(for: .seconds(1))
            let sent = try await h.generateRequests().compactMap { $0["status"] as? Int }
            #expect(sent.first == 200 && sent.dropFirst().allSatisfy { $0 == 429 } && (2...3).contains(sent.count))
            try await Task.sleep(for: .seconds(3))
            await daemon.stop()

            let status = try await store.status(now: Date())
            let until = try #require(status.pausedUntil)
            #expect(until > Date() && until < Date().addingTimeInterval(86_400 + 3600))
            #expect(status.pauseReason?.contains("daily quota") == true)
            // A job claimed just before the stop stays `running` and is queued again at the next start.
            #expect((status.counts[.pending] ?? 0) + (status.counts[.running] ?? 0) == 2, "\(status.counts)")
            #expect(try await h.generateRequests().count == sent.count)
            #expect(h.sidecar(of: second) == nil && h.sidecar(of: third) == nil)

            // After a restart the pause still holds: nothing is sent.
            daemon = try await RunningDaemon.start(h)
            try await Task.sleep(for: .seconds(3))
            await daemon.stop()
            #expect(daemon.logs.contains("daily quota"))
            #expect(try await h.generateRequests().count == sent.count)
            await h.stop()
        }

        static func parse(_ text: String) -> Date? {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
        }
    }
}
