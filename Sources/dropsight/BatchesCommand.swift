import ArgumentParser
import Dropsight
import Foundation
import Store

/// `dropsight batches`: the Batch API submissions dropsight made (see docs/batch.md).
struct BatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches",
        abstract: "Lists dropsight's Gemini Batch API submissions and cancels one.",
        discussion: """
            With [api] batch = "auto" (a backlog of batch_min_jobs or more) or "always", and [[folder]] batch = "always", \
            queued jobs go to the Batch API: half the price, answered within 24 hours. The daemon records each batch in \
            the Store of [state] dir.
            """,
        subcommands: [List.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists the batches from the Store, newest first: name, requests, age, state.",
            discussion: "Reads the state database read-only; works while the daemon runs.")
        @OptionGroup var config: ConfigOption
        @Flag(help: "Print JSON instead of text.")
        var json = false
        @Option(help: "How many batches to list.")
        var limit = 50

        func run() async throws {
            let store = try await StateDatabase.openReadOnly(try config.load())
            let now = Date()
            let batches = try await store.recentBatches(limit: max(1, limit))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(batches.map { BatchJSON($0, now: now) }), as: UTF8.self))
            } else if batches.isEmpty {
                print("no batches yet")
            } else {
                for b in batches { print(BatchJSON.line(b, now: now)) }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancels a batch on the service (batches.cancel); the daemon then queues its jobs again.",
            discussion: """
                The daemon sees the batch end CANCELLED at its next poll and puts the batch's jobs back in the queue, one \
                attempt counted. A batch already over stays as it is.
                """)
        @OptionGroup var config: ConfigOption
        @Argument(help: "The batch: batches/ID (as `dropsight batches list` shows it) or ID.")
        var name: String

        func run() async throws {
            let runtime = try FilesCommand.runtime(try config.load())
            do {
                try await runtime.client.cancelBatch(name: name)
            } catch {
                throw CommandFailure(status: 1, message: "dropsight: cannot cancel \(name): \(error.message)")
            }
            print("cancelled \(name); the daemon queues its jobs again at its next look")
        }
    }
}
