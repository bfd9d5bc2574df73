import ArgumentParser
import Dropsight
import Foundation

struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Shows what each prompt would send for the given images and what it would cost, without calling the API.",
        discussion: """
            Each image gets the prompts of the configured folder that contains it (or every configured prompt), unless \
            --prompt names some. For each prompt: the size, bytes and estimated tokens of the copy that would be sent \
            (resolution = auto sends no more pixels than the model uses), and what sending the original would have cost. \
            Image tokens follow the model's profile (258 per image on 2.5, 280-2240 by media resolution on 3.x, \
            258 per 768x768 tile on older models), or the counts the API reported to the daemon when its state \
            database has them; text is about 4 characters per token. Needs no API key. Exit status: 0, 1 when an image cannot be read, 2 for usage or configuration errors.
            """)

    @OptionGroup var config: ConfigOption
    @Option(name: .customLong("prompt"), help: "Estimate only this prompt (repeatable).")
    var prompts: [String] = []
    @Flag(help: "Print one JSON object per image instead of a table.")
    var json = false
    @Argument(help: "Image files.")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() async throws {
        let configuration = try config.load(checking: prompts)
        let observed = await StateDatabase.observedImageTokens(configuration)
        var failed = false
        for image in images {
            let path = ConfigLoader.absolute(image)
            let folder = configuration.folder(owning: path)
            let names = prompts.isEmpty ? (folder?.prompts ?? configuration.prompts.keys.sorted()) : prompts
            let settings = names.compactMap { configuration.prompts[$0] }
            let maxPixels = configuration.images.maxPixels
            let promptNames = Set(configuration.prompts.keys)
            let api = configuration.api
            do {
                let estimate = try await BlockingWork.run {
                    try ImageEstimate.make(
                        path: path, prompts: settings, defaultModel: api.model, caps: api.autoMaxSide, observed: observed,
                        maxPixels: maxPixels,
                        promptNames: promptNames)
                }
                print(json ? try Self.jsonLine(estimate) : Self.table(estimate))
            } catch let rejected as ImageSubject.Rejected {
                // The reason already names the file.
                FileHandle.standardError.write(Data("\(rejected.message)\n".utf8))
                failed = true
            } catch {
                FileHandle.standardError.write(Data("\(image): \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func jsonLine(_ estimate: ImageEstimate) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(estimate), as: UTF8.self)
    }

    /// A heading for the image and one line per prompt.
    static func table(_ e: ImageEstimate) -> String {
        let o = e.original
        var lines = [
            "\(e.file): \(o.width)x\(o.height) \(o.mimeType), \(bytes(o.bytes)); sent whole it would cost \(o.tokens) image tokens"
        ]
        let width = e.prompts.map(\.prompt.count).max() ?? 0
        for p in e.prompts {
            let name = p.prompt.padding(toLength: width, withPad: " ", startingAt: 0)
            var line =
                "  \(name)  \(p.resolution.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                + "\(p.sent.width)x\(p.sent.height) \(p.sent.mimeType) \(bytes(p.sent.bytes)), \(p.sent.tokens) image tokens"
            if !p.otherImages.isEmpty {
                line += " + \(p.otherImages.count) other image(s) \(p.otherImages.reduce(0) { $0 + $1.tokens })"
            }
            line += " + ~\(p.textTokens) text = ~\(p.totalTokens) tokens, \(bytes(p.totalBytes))"
            let savedTokens = o.tokens - p.sent.tokens
            let savedBytes = o.bytes - p.sent.bytes
            if savedTokens > 0 || savedBytes > 0 {
                line += " (original: \(o.tokens) tokens, \(bytes(o.bytes)); saves \(savedTokens) tokens, \(bytes(max(0, savedBytes))))"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func bytes(_ n: Int) -> String {
        if n >= 1_000_000 { return String(format: "%.1f MB", Double(n) / 1_000_000) }
        if n >= 1_000 { return String(format: "%.1f kB", Double(n) / 1_000) }
        return "\(n) B"
    }
}
