import ArgumentParser
import FileAccess
import Foundation

/// Runs the command line, mapping usage and configuration errors to exit status 2.
@main
enum Entry {
    static func main() async {
        do {
            var command = try DropsightCommand.parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            Foundation.exit(error.status)
        } catch {
            let code = DropsightCommand.exitCode(for: error)
            if code == .success {
                print(DropsightCommand.fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((DropsightCommand.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// The arguments as bytes (`CommandLine.arguments` turns a name that is not UTF-8 into U+FFFD): such a
    /// name arrives in `PathBytes` form and opens the very file.
    static var arguments: [String] {
        (1..<Int(CommandLine.argc)).compactMap { index in CommandLine.unsafeArgv[index].map { PathBytes.string(cString: $0) } }
    }
}

struct DropsightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropsight",
        abstract: "Watches photo drop folders and has Google's Gemini models look at every new image.",
        discussion: """
            dropsight runs the prompts configured for a folder (captions, classification, questions, object detection, \
            segmentation, comparisons) on each image dropped into it and writes IMG.jpg.dropsight.json (and overlay PNGs) \
            beside the image. The API key comes from GEMINI_API_KEY, from the systemd credential gemini-api-key, or from \
            [api] key_file; it is never printed. See README.md for the configuration and sidecar reference.
            """,
        subcommands: [
            RunCommand.self, ProcessCommand.self, StatusCommand.self, RetryCommand.self, ReprocessCommand.self,
            EstimateCommand.self, FilesCommand.self, BatchesCommand.self, ModelsCommand.self, ConfigCommand.self,
        ])
}
