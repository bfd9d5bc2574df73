import ArgumentParser
import Dropsight
import Foundation
import Logging
import Systemd

/// The `--config` option shared by every command.
struct ConfigOption: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help:
            "Configuration file (default: $DROPSIGHT_CONFIG, /etc/dropsight/dropsight.toml as root, else ~/.config/dropsight/dropsight.toml)."
    )
    var config: String?

    var path: String {
        if let config { return config }
        let env = ProcessInfo.processInfo.environment
        if let c = env["DROPSIGHT_CONFIG"], !c.isEmpty { return c }
        if getuid() == 0 { return "/etc/dropsight/dropsight.toml" }
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/dropsight/dropsight.toml"
    }

    /// Loads the configuration or fails with exit status 2 and every error, located; `prompts` named
    /// on the command line must be configured ones.
    func load(checking prompts: [String] = []) throws -> Configuration {
        let configuration: Configuration
        do {
            configuration = try ConfigLoader.load(path: path)
        } catch let errors as ConfigErrors {
            throw CommandFailure(status: 2, message: errors.description)
        }
        for p in prompts where configuration.prompts[p] == nil {
            throw CommandFailure(
                status: 2,
                message: "unknown prompt \"\(p)\": configured prompts are \(configuration.prompts.keys.sorted().joined(separator: ", "))")
        }
        return configuration
    }
}
