import ArgumentParser
import Dropsight
import Foundation

struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Runs the prompts on the given images once and writes their sidecars.",
        discussion: """
            Each image gets the prompts of the configured folder that contains it (or every configured prompt when it is \
            in no folder), unless --prompt names some. Prints each sidecar's path. Exit status: 0 when every prompt \
            succeeded, 1 when any failed, 2 for usage or configuration errors and when the service refuses the \
            account (the key, the project, the model, billing, the daily quota): then the reason is printed and no \
            sidecar is written for that image.
            """)

    @OptionGroup var config: ConfigOption
    @Option(name: .customLong("prompt"), help: "Run only this prompt (repeatable).")
    var prompts: [String] = []
    @Argument(help: "Image files.")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() async throws {
        let configuration = try config.load(checking: prompts)
        let logger = CommandLogging.bootstrap()
        let runtime: Runtime
        do {
            runtime = try Runtime(configuration: configuration, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            throw CommandFailure(status: 2, message: "\(error)")
        }
        let processor = ImageProcessor(runtime: runtime)
        var allOK = true
        for image in images {
            let path = ConfigLoader.absolute(image)
            let folder = runtime.configuration.folder(owning: path)
            let names = prompts.isEmpty ? (folder?.prompts ?? configuration.prompts.keys.sorted()) : prompts
            do {
                let outcome = try await processor.process(path: path, folder: folder, promptNames: names)
                print(outcome.sidecarPath)
                allOK = allOK && outcome.allOK
            } catch let refusal as AccountRefusal {
                throw CommandFailure(status: 2, message: "dropsight: \(refusal.advice)")
            } catch {
                FileHandle.standardError.write(Data("\(image): \(error)\n".utf8))
                allOK = false
            }
        }
        if !allOK { throw ExitCode(1) }
    }
}
