import Foundation
import Testing

@testable import Dropsight

/// `[api] batch*` and `[[folder]] batch`: defaults, values, specific errors, and what goes by batch.
@Suite struct BatchSettingsTests {
    func config(api: String = "", folder: String = "") throws -> Configuration {
        try ConfigLoader.parse(
            text: """
                [api]
                base_url = "http://127.0.0.1:9999"
                model = "gemini-2.5-flash"
                \(api)

                [[folder]]
                path = "/tmp/archive"
                prompts = ["caption"]
                \(folder)

                [[folder]]
                path = "/tmp/inbox"
                prompts = ["caption", "fast"]

                [prompt.caption]
                text = "Caption this."

                [prompt.fast]
                text = "Caption this."
                model = "gemini-2.5-flash-lite"
                """, sourcePath: "test.toml")
    }

    func messages(api: String = "", folder: String = "") -> [String] {
        do {
            _ = try config(api: api, folder: folder)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func defaultsAndValues() throws {
        let d = try config().api.batch
        #expect(d.mode == .auto && d.minJobs == 200 && d.poll == .seconds(60) && d.maxRequests == 10_000 && d.maxBytes == 500_000_000)
        let c = try config(
            api: """
                batch = "off"
                batch_min_jobs = 50
                batch_poll = "2m"
                batch_max_requests = 1000
                batch_max_bytes = 100000000
                """, folder: "batch = \"always\"")
        #expect(c.api.batch.mode == .off && c.api.batch.minJobs == 50 && c.api.batch.poll == .seconds(120))
        #expect(c.api.batch.maxRequests == 1000 && c.api.batch.maxBytes == 100_000_000)
        #expect(c.batchMode(of: c.folders[0]) == .always && c.batchMode(of: c.folders[1]) == .off)
        #expect(c.effectiveDescription.contains("batch = \"always\"") && c.effectiveDescription.contains("batch_poll = \"120s\""))
    }

    @Test func badValuesAreNamed() {
        #expect(messages(api: "batch = \"sometimes\"").contains { $0.contains("batch in [api] must be one of") })
        #expect(messages(api: "batch_poll = \"10ms\"").contains { $0.contains("batch_poll in [api] must be at least 1s") })
        #expect(messages(api: "batch_max_bytes = 3000000000").contains { $0.contains("batch_max_bytes") })
        #expect(messages(folder: "batch = 1").contains { $0.contains("batch") })
    }

    @Test func planSplitsByModelAndMode() throws {
        let c = try config(folder: "batch = \"always\"")
        let plan = BatchPlan(config: c, heldPrompts: [])
        #expect(
            plan.groups == [
                .init(model: "gemini-2.5-flash", prompts: ["caption"], always: ["/tmp/archive"], auto: ["/tmp/inbox"]),
                .init(model: "gemini-2.5-flash-lite", prompts: ["fast"], always: [], auto: ["/tmp/inbox"]),
            ])
        #expect(BatchPlan.batchOnlyFolders(c) == ["/tmp/archive"])
        #expect(BatchPlan(config: c, heldPrompts: ["fast"]).groups.map(\.model) == ["gemini-2.5-flash"])
        #expect(BatchPlan(config: try config(api: "batch = \"off\""), heldPrompts: []).groups.isEmpty)
    }
}
