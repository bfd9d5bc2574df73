import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Which ids answer, as which model, and what models.list shows (gemini-api-2026.md §1).
@Suite(.cleansUp) struct ModelCatalogTests {
    @Test func retiredAndUnknownIdsGetTheirOwn404Texts() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let closed = try await emulator.generate("gemini-2.5-flash")
        let closedLite = try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-flash-lite:countTokens", #"{"contents": [{"parts": [{"text": "hi"}]}]}"#)
        let shut = try await emulator.generate("gemini-2.0-flash")
        let shutPreview = try await emulator.postJSON(
            "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse", #"{"contents": [{"parts": [{"text": "hi"}]}]}"#)
        let unknown = try await emulator.generate("gemini-9-ultra")

        #expect(closed.status == 404)
        #expect(
            closed.hasBody(
                #"{"error":{"code":404,"message":"This model models/gemini-2.5-flash is no longer available to new users. Please update your code to use a newer model for the latest features and improvements. We recommend you to use the Interactions API (https://ai.google.dev/gemini-api/docs/migrate-to-interactions).","status":"NOT_FOUND"}}"#
            )
        )
        #expect(closedLite.status == 404)
        #expect(closedLite.errorMessage?.hasPrefix("This model models/gemini-2.5-flash-lite is no longer available to new users.") == true)
        #expect(shut.status == 404)
        #expect(
            shut.hasBody(
                #"{"error":{"code":404,"message":"This model models/gemini-2.0-flash is no longer available. Please update your code to use a newer model for the latest features and improvements.","status":"NOT_FOUND"}}"#
            )
        )
        #expect(
            shutPreview.errorMessage
                == "This model models/gemini-3-pro-preview is no longer available. Please update your code to use a newer model for the latest features and improvements."
        )
        #expect(unknown.status == 404)
        #expect(
            unknown.errorMessage
                == "models/gemini-9-ultra is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."
        )
        for id in ["gemini-2.0-flash-001", "gemini-2.0-flash-lite", "gemini-2.0-flash-lite-001", "gemini-3.1-flash-lite-preview"] {
            let reply = try await emulator.generate(id)
            #expect(reply.errorMessage?.hasPrefix("This model models/\(id) is no longer available. Please update") == true)
        }
        await emulator.stop()
    }

    @Test(arguments: [
        ("gemini-3.8-flash", "gemini-3.8-flash"), ("gemini-3.6-flash", "gemini-3.6-flash"),
        ("gemini-3.5-flash-lite", "gemini-3.5-flash-lite"), ("gemini-3.1-flash-lite", "gemini-3.1-flash-lite"),
        ("gemini-3.1-pro-preview", "gemini-3.1-pro-preview"), ("gemini-3-flash-preview", "gemini-3-flash-preview"),
        ("gemini-3.7-flash", "gemini-3.8-flash"), ("gemini-3.5-flash", "gemini-3.6-flash"), ("gemini-2.5-pro", "gemini-3.8-flash"),
        ("gemini-flash-latest", "gemini-3.8-flash"), ("gemini-pro-latest", "gemini-3.1-pro-preview"),
        ("gemini-flash-lite-latest", "gemini-3.5-flash-lite"),
    ])
    func servedIdsAnswerAsTheirTarget(_ requested: String, _ answering: String) async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let reply = try await emulator.generate(requested)
        let stream = try await emulator.postJSON(
            "/v1beta/models/\(requested):streamGenerateContent?alt=sse", #"{"contents": [{"parts": [{"text": "hi"}]}]}"#)

        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["modelVersion"] == .string(answering))
        #expect(stream.text.contains(#""modelVersion":"\#(answering)""#))
        #expect(try await emulator.admin(.get, "requests").json?.arrayValue?.first?["model"] == .string(requested))
        await emulator.stop()
    }

    @Test func aRoutedModelTakesItsTargetsRules() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        // 2.5 Pro refuses levels and budget 0; routed to 3.8 Flash it takes levels and refuses MINIMAL.
        let low = try await emulator.generate("gemini-2.5-pro", config: #"{"thinkingConfig": {"thinkingLevel": "LOW"}}"#)
        let minimal = try await emulator.generate("gemini-2.5-pro", config: #"{"thinkingConfig": {"thinkingLevel": "minimal"}}"#)

        #expect(low.status == 200)
        #expect(minimal.status == 400)
        #expect(minimal.errorMessage == "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.")
        await emulator.stop()
    }

    @Test func modelsListShowsVersionsAndThinkingLikeTheCapture() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let list = try await emulator.send(.get, "/v1beta/models")
        let got = try await emulator.send(.get, "/v1beta/models/gemini-3.5-flash")
        let alias = try await emulator.send(.get, "/v1beta/models/gemini-flash-latest")
        let missing = try await emulator.send(.get, "/v1beta/models/gemini-9-ultra")

        let models = try #require(list.json?["models"]?.arrayValue)
        let names = models.compactMap { $0["name"]?.stringValue }
        #expect(names.count == 20)
        #expect(names.first == "models/gemini-3.8-flash")
        #expect(names.contains("models/gemini-2.0-flash"))  // listed is not callable
        #expect(
            got.hasBody(
                #"{"name":"models/gemini-3.5-flash","version":"3.5-flash-05-2026","displayName":"Gemini 3.5 Flash","description":"Gemini 3.5 Flash","inputTokenLimit":1048576,"outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens","createCachedContent","batchGenerateContent"],"temperature":1,"topP":0.95,"topK":64,"maxTemperature":2,"thinking":true}"#
            )
        )
        #expect(alias.json?["displayName"] == .string("Gemini Flash Latest"))
        for model in models {
            // Only the 2.0 models do not think; they carry no `thinking` key at all.
            let thinks = !(model["name"]?.stringValue?.contains("2.0") ?? true)
            #expect(model["thinking"] == (thinks ? .bool(true) : nil), "\(model)")
        }
        #expect(missing.status == 404)
        await emulator.stop()
    }

    @Test func catalogue2025KeepsTheSeedList() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2025)
        let list = try await emulator.send(.get, "/v1beta/models")
        let flash = try await emulator.generate("gemini-2.5-flash")
        let preview = try await emulator.generate("gemini-3-pro-preview", config: #"{"thinkingConfig": {"thinkingLevel": "MINIMAL"}}"#)
        let level = try await emulator.generate("gemini-2.5-flash", config: #"{"thinkingConfig": {"thinkingLevel": "LOW"}}"#)

        let models = try #require(list.json?["models"]?.arrayValue)
        #expect(models.compactMap { $0["name"]?.stringValue } == EmulatorConfiguration.defaultModels.map { "models/\($0)" })
        #expect(
            models.first?.objectPairs?.map(\.0) == [
                "name", "displayName", "inputTokenLimit", "outputTokenLimit", "supportedGenerationMethods", "thinking",
            ])
        #expect(models.first?["thinking"] == .bool(false))
        #expect(flash.status == 200)
        #expect(flash.json?["modelVersion"] == .string("gemini-2.5-flash"))
        #expect(flash.usage?["serviceTier"] == nil)
        #expect(flash.header("x-gemini-service-tier") == nil)
        #expect(preview.status == 200)
        #expect(level.errorMessage == "thinking_level is not supported by this model")
        await emulator.stop()
    }

    @Test func anExplicitModelListIsWhatExists() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026) {
            $0.models = ["gemini-3.8-flash", "gemini-2.5-flash", "gemini-flash-latest", "gemini-2.0-flash"]
            $0.extraModels = ["my-tuned-model"]
        }
        let list = try await emulator.send(.get, "/v1beta/models")
        let legacy = try await emulator.generate("gemini-2.5-flash")
        let alias = try await emulator.generate("gemini-flash-latest")
        let shut = try await emulator.generate("gemini-2.0-flash")
        let tuned = try await emulator.generate("my-tuned-model")
        let unlisted = try await emulator.generate("gemini-3.6-flash")

        #expect(
            list.json?["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                == [
                    "models/gemini-3.8-flash", "models/gemini-2.5-flash", "models/gemini-flash-latest", "models/gemini-2.0-flash",
                    "models/my-tuned-model",
                ])
        #expect(legacy.status == 200)  // an existing project keeps the model closed to new users
        #expect(legacy.json?["modelVersion"] == .string("gemini-2.5-flash"))
        #expect(alias.json?["modelVersion"] == .string("gemini-3.8-flash"))
        #expect(shut.status == 404)
        #expect(tuned.status == 200)
        #expect(unlisted.errorMessage?.hasPrefix("models/gemini-3.6-flash is not found") == true)
        await emulator.stop()
    }

    @Test func theCommandTakesACatalogue() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let seed = try await EmulatorProcess.launch(["--port", "0", "--catalog", "2025"], in: folder)
        let seedFlash = try await seed.generate("gemini-2.5-flash")
        _ = await seed.terminate()
        let today = try await EmulatorProcess.launch(["--port", "0", "--model", "gemini-2.5-flash"], in: folder)
        let todayFlash = try await today.generate("gemini-2.5-flash")
        let todayPro = try await today.generate("gemini-2.5-pro")
        _ = await today.terminate()

        #expect(seedFlash.json?["modelVersion"] == .string("gemini-2.5-flash"))
        #expect(seedFlash.usage?["serviceTier"] == nil)
        #expect(todayFlash.status == 200)
        #expect(todayFlash.usage?["serviceTier"] == .string("standard"))
        #expect(todayPro.json?["modelVersion"] == .string("gemini-3.8-flash"))
        await #expect(throws: HarnessError.self) { try await EmulatorProcess.launch(["--port", "0", "--catalog", "1999"], in: folder) }
    }
}
