import ArgumentParser
import Dropsight
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Configuration tools.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Checks the configuration and prints it with every default filled in (never the API key).",
            discussion: """
                Exit status: 0 when valid, 2 with each error as FILE:LINE:COLUMN: message otherwise. A configured model that \
                is routed, closed to new users, shut down, an alias or unknown to dropsight's profiles is named on stderr \
                as a warning (see `dropsight models`).
                """)
        @OptionGroup var config: ConfigOption

        func run() async throws {
            let c = try config.load()
            print(c.effectiveDescription)
            for warning in c.modelWarnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        }
    }
}
