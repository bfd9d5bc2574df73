import ArgumentParser
import Dropsight
import Foundation
import GeminiAPI

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
                as a warning (see `dropsight models`). With --online, the key and every configured model are also checked \
                with models.get, and the first refusal exits 1 with its reason.
                """)
        @OptionGroup var config: ConfigOption
        @Flag(help: "Also check the key and every configured model with the API (models.get).") var online = false

        func run() async throws {
            let c = try config.load()
            print(c.effectiveDescription)
            for warning in c.modelWarnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            guard online else { return }
            let runtime = try FilesCommand.runtime(c)
            let models = Set([c.api.model] + c.prompts.values.map { $0.effectiveModel(default: c.api.model) })
            var refused: [String] = []
            for model in models.sorted() {
                if let reason = await Self.check(model, client: runtime.client) {
                    FileHandle.standardError.write(Data("refused: \(model): \(reason)\n".utf8))
                    refused.append(model)
                }
            }
            if !refused.isEmpty {
                throw CommandFailure(
                    status: 1, message: "dropsight: \(refused.count) configured model(s) cannot be used: \(refused.joined(separator: ", "))"
                )
            }
        }

        /// Why `model` cannot be used with this key, or nil (and an `ok` or `note` line) when it can.
        static func check(_ model: String, client: GeminiClient) async -> String? {
            do {
                _ = try await client.getModel(model)
            } catch {
                return error.message
            }
            // Listed is not callable: the profiles know which listed models refuse requests.
            switch ModelCatalog.profile(for: model).status {
            case .shutDown:
                return "listed but shut down; configure \(ModelCatalog.defaultModel)"
            case .closedToNewUsers:
                FileHandle.standardError.write(Data("note: \(model) is listed; it answers only projects that used it before\n".utf8))
            default:
                FileHandle.standardError.write(Data("ok: \(model) is available to this key\n".utf8))
            }
            return nil
        }
    }
}
