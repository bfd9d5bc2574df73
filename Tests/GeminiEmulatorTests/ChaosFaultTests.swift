import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Fault rules for long chaos runs: probabilities, seeds, random delays and replies cut off in transit.
@Suite(.cleansUp) struct ChaosFaultTests {
    static let generate = "/v1beta/models/gemini-2.5-flash:generateContent"
    static let hello = #"{"contents": [{"parts": [{"text": "hello"}]}]}"#

    func statuses(_ emulator: EmulatorHarness, _ count: Int) async throws -> [Int] {
        var statuses: [Int] = []
        for _ in 0..<count { statuses.append(try await emulator.postJSON(Self.generate, Self.hello).status) }
        return statuses
    }

    @Test func aProbabilityRuleCatchesSomeRequestsForEverAndASeedReplaysTheRun() async throws {
        let emulator = try await EmulatorHarness.start()
        let script = #"{"seed": 42, "faults": [{"route": "generateContent", "probability": 0.5, "status": 503}]}"#

        _ = try await emulator.admin(.post, "faults", script)
        let first = try await statuses(emulator, 40)
        let armed = try await emulator.admin(.get, "faults")
        _ = try await emulator.admin(.post, "faults", script)
        let replay = try await statuses(emulator, 40)

        let failures = first.filter { $0 == 503 }.count
        #expect(Set(first) == [200, 503])
        #expect((8...32).contains(failures))
        #expect(replay == first)
        #expect(armed.json?["armed"] == .int(1))
        #expect(armed.json?["rules"]?.arrayValue?.first?["count"] == .null)
        #expect(armed.json?["rules"]?.arrayValue?.first?["probability"] == .double(0.5))
        await emulator.stop()
    }

    @Test func anotherSeedGivesAnotherSequence() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"{"seed": 1, "faults": [{"probability": 0.5, "status": 503}]}"#)
        let one = try await statuses(emulator, 30)
        _ = try await emulator.admin(.post, "faults", #"{"seed": 2, "faults": [{"probability": 0.5, "status": 503}]}"#)
        let two = try await statuses(emulator, 30)

        #expect(one != two)
        await emulator.stop()
    }

    @Test func aFailedRollFallsThroughToTheNextRule() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(
            .post, "faults",
            #"""
            {"seed": 7, "faults": [{"probability": 0.5, "status": 503}, {"status": 500, "count": 100}]}
            """#)

        let seen = try await statuses(emulator, 30)

        #expect(Set(seen) == [500, 503])
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        #expect(Set(log.compactMap { $0["fault"]?.stringValue }) == ["status 500", "status 503"])
        await emulator.stop()
    }

    @Test func anExplicitCountLimitsAProbabilityRule() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"probability": 0.5, "count": 3, "status": 503}]"#)

        let seen = try await statuses(emulator, 40)

        #expect(seen.filter { $0 == 503 }.count == 3)
        #expect(seen.suffix(10).allSatisfy { $0 == 200 })
        #expect(try await emulator.admin(.get, "faults").json?["armed"] == .int(0))
        await emulator.stop()
    }

    @Test func aScriptFileWithoutSeedUsesTheConfiguredSeed() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString).json")
        try Data(#"[{"probability": 0.3, "status": 503}]"#.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        var runs: [[Int]] = []
        for seed: UInt64 in [5, 5, 6] {
            let emulator = try await EmulatorHarness.start {
                $0.faultScriptFile = script
                $0.seed = seed
            }
            runs.append(try await statuses(emulator, 30))
            await emulator.stop()
        }

        #expect(runs[0] == runs[1])
        #expect(runs[0] != runs[2])
        #expect(runs[0].contains(503))
    }

    @Test func randomDelaysStayInTheirRangeAndVary() async throws {
        let script = FaultScript(defaultSeed: 3)
        script.install(try FaultScript.parse(Data(#"[{"delayMs": 30, "delayMaxMs": 60, "count": 50}]"#.utf8)))
        let delays = (0..<50).compactMap { _ in script.take(FaultProbe(route: .files))?.delayMilliseconds }
        #expect(delays.count == 50)
        #expect(delays.allSatisfy { (30...60).contains($0) })
        #expect(Set(delays).count > 5)

        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"route": "generateContent", "delayMs": 30, "delayMaxMs": 60, "count": 3}]"#)
        var durations: [Int] = []
        for _ in 0..<3 {
            let reply = try await emulator.postJSON(Self.generate, Self.hello)
            let timing = try #require(reply.header("Server-Timing"))
            durations.append(try #require(Int(timing.split(separator: "=").last ?? "")))
        }
        #expect(durations.allSatisfy { $0 >= 30 })
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        #expect(log.map { $0["fault"] } == Array(repeating: .string("delay"), count: 3))
        await emulator.stop()
    }

    @Test func badProbabilitiesSeedsAndDelayRangesAreRefused() async throws {
        func refusal(_ script: String) -> String? {
            do {
                _ = try FaultScript.parse(Data(script.utf8))
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(
            refusal(#"[{"status": 503}, {"status": 503}, {"status": 503}, {"probability": 0, "status": 503}]"#)
                == "Fault rule 3: probability must be greater than 0 and at most 1.")
        #expect(refusal(#"[{"probability": 1.5, "status": 503}]"#) == "Fault rule 0: probability must be greater than 0 and at most 1.")
        #expect(refusal(#"[{"probability": "often", "status": 503}]"#) == "Fault rule 0: probability must be greater than 0 and at most 1.")
        #expect(
            refusal(#"[{"delayMs": 500, "delayMaxMs": 100}]"#)
                == "Fault rule 0: delayMaxMs must be a whole number of at least delayMs (500).")
        #expect(refusal(#"{"seed": -1, "faults": []}"#) == "The fault script's seed must be a whole number of at least 0.")
        #expect(refusal(#"[{"probability": 1, "delayMs": 5, "delayMaxMs": 5}]"#) == nil)

        let emulator = try await EmulatorHarness.start()
        let reply = try await emulator.admin(.post, "faults", #"[{"probability": 2, "status": 503}]"#)
        #expect(reply.status == 400)
        #expect(reply.json?["error"] == .string("Fault rule 0: probability must be greater than 0 and at most 1."))
        await emulator.stop()
    }

    @Test func cutOffGenerateContentSendsHalfTheBodyThenCloses() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"route": "generateContent", "action": "cutOff"}]"#)
        let body = Self.hello
        let connection = try RawConnection(port: emulator.port)

        connection.send(
            "POST \(Self.generate) HTTP/1.1\r\nHost: 127.0.0.1\r\nx-goog-api-key: \(EmulatorHarness.key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let (bytes, closed) = await offPool { connection.readToEnd() }

        let answer = try #require(RawAnswer(bytes))
        let length = try #require(answer.headers["content-length"].flatMap { Int($0) })
        #expect(answer.status == 200)
        #expect(answer.headers["transfer-encoding"] == nil)
        #expect(answer.headers["content-type"] == "application/json; charset=UTF-8")
        #expect(length > 100)
        #expect(answer.body.count == length / 2)
        #expect(closed)
        #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix("{\n  \"candidates\""))
        let next = try await emulator.postJSON(Self.generate, body)
        #expect(next.status == 200)
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        #expect(log.first?["status"] == .int(200))
        #expect(log.first?["fault"] == .string("cutOff"))
        await emulator.stop()
    }

    @Test func cutOffWorksOnFileGets() async throws {
        let emulator = try await EmulatorHarness.start()
        let file = try await emulator.uploadFile(Data("some bytes".utf8), mimeType: "text/plain")
        let name = try #require(file["name"]?.stringValue)
        _ = try await emulator.admin(.post, "faults", #"[{"route": "files", "action": "cutOff"}]"#)
        let connection = try RawConnection(port: emulator.port)

        connection.send("GET /v1beta/\(name) HTTP/1.1\r\nHost: 127.0.0.1\r\nx-goog-api-key: \(EmulatorHarness.key)\r\n\r\n")
        let (bytes, closed) = await offPool { connection.readToEnd() }

        let answer = try #require(RawAnswer(bytes))
        let length = try #require(answer.headers["content-length"].flatMap { Int($0) })
        #expect(answer.status == 200)
        #expect(answer.body.count == length / 2)
        #expect(answer.body.count < length)
        #expect(closed)
        #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix("{\n  \"name\": \"\(name)\""))
        let next = try await emulator.send(.get, "/v1beta/\(name)")
        #expect(next.status == 200)
        await emulator.stop()
    }
}
