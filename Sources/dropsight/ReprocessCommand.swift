import ArgumentParser
import Dropsight
import Foundation

struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Runs prompts again on images the daemon already processed, whatever their state.",
        discussion: """
            Without PATH every known image; a PATH names an image or a folder (every image below it). --prompt limits it \
            to one prompt. The old result stays in the sidecar until the new one replaces it. Works while the daemon \
            runs: it picks the jobs up within a few seconds. Prints how many jobs were queued.
            """)

    @OptionGroup var config: ConfigOption
    @Option(help: "Only this prompt.")
    var prompt: String?
    @Argument(help: "Images or folders (default: every image).")
    var paths: [String] = []

    func run() async throws {
        let configuration = try config.load(checking: prompt.map { [$0] } ?? [])
        let store = try await StateDatabase.open(configuration)
        let count = try await store.reprocess(paths: paths.isEmpty ? nil : StateDatabase.absolute(paths), prompt: prompt, now: Date())
        var line = "\(count) job(s) queued again"
        if count > 0 {
            line += "; " + StateDatabase.pickupNote
        } else if !paths.isEmpty {
            line += " (the daemon has not seen these paths yet)"
        }
        print(line)
    }
}
