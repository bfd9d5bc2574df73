import ArgumentParser
import Dropsight
import Foundation

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queues failed jobs again, with a fresh attempt count.",
        discussion: """
            --failed queues every failed job; PATH... only those of these images, or of every image below a folder. \
            Works while the daemon runs: it picks the jobs up within a few seconds. Prints how many jobs were queued.
            """)

    @OptionGroup var config: ConfigOption
    @Flag(help: "Retry every failed job.")
    var failed = false
    @Argument(help: "Images or folders whose failed jobs to retry.")
    var paths: [String] = []

    func validate() throws {
        if failed != paths.isEmpty { throw ValidationError("give either --failed or one or more paths") }
    }

    func run() async throws {
        let store = try await StateDatabase.open(try config.load())
        let count = try await store.retryFailed(paths: failed ? nil : StateDatabase.absolute(paths), now: Date())
        print("\(count) failed job(s) queued again\(count > 0 ? "; " + StateDatabase.pickupNote : "")")
    }
}
