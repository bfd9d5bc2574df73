import ArgumentParser
import Dropsight
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Lists the models the API key can use (models.list), each with dropsight's profile of it.",
        discussion: """
            Columns: status (GA, preview, routed, alias, closed to new users, shut down, or unknown with rules guessed \
            from the name), the thinking control dropsight sends, what an image costs, and the segmentation form. \
            Listed is not the same as callable: a model closed to new users is still listed. Exit status 1 when \
            the API refuses the request, 2 for configuration errors.
            """)
    @OptionGroup var config: ConfigOption

    func run() async throws {
        let runtime = try FilesCommand.runtime(try config.load())
        do {
            print(ModelsTable.render(try await runtime.client.listModels()))
        } catch {
            throw CommandFailure(status: 1, message: "dropsight: cannot list the models: \(error.message)")
        }
    }
}
