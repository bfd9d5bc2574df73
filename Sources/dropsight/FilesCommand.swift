import ArgumentParser
import Dropsight
import Foundation

/// `dropsight files`: the uploads dropsight made through the Files API (they live 48 hours on the server).
struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "Lists, uploads and deletes the images dropsight keeps in the Gemini Files API.",
        discussion: """
            Uploaded files live 48 hours on the server and count against the project's 20 GB. dropsight records each \
            upload (name, SHA-256, size, expiry) in the Store of [state] dir and reuses it for the same content while it \
            has more than [api] file_reuse_margin left.
            """,
        subcommands: [List.self, Upload.self, Delete.self, Purge.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists our uploads from the Store with the time each has left (--remote: the server's files).")
        @OptionGroup var config: ConfigOption
        @Flag(help: "List the files on the server (needs the API key), marking ours.")
        var remote = false

        func run() async throws {
            let configuration = try config.load()
            guard remote else {
                print(try await FilesTable.ours(state: configuration.state))
                return
            }
            let runtime = try FilesCommand.runtime(configuration)
            let files = try await runtime.client.listAllFiles()
            let ours = Set(try await runtime.store.uploads().map(\.name))
            print(FilesTable.remote(files, ours: ours, now: Date()))
        }
    }

    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Uploads a file (or reuses a live upload of the same content) and prints its name and uri.",
            discussion: """
                The file is hashed and sent in 8 MiB chunks straight from disk, so memory stays small whatever its size. \
                An upload cut short (network, kill) continues where it stopped when the same content is uploaded again.
                """)
        @OptionGroup var config: ConfigOption
        @Option(help: "MIME type (default: read from the content for PNG, JPEG, WebP, HEIC and HEIF).")
        var mimeType: String?
        @Argument(help: "The file to upload.")
        var path: String

        func run() async throws {
            let runtime = try FilesCommand.runtime(try config.load())
            var started = ContinuousClock.now
            let local = try await FileCache.local(path: ConfigLoader.absolute(path), mimeType: mimeType)
            let hashed = FilesCommand.seconds(since: started)
            started = ContinuousClock.now
            let file = try await runtime.files.file(local)
            let sent = FilesCommand.seconds(since: started)
            print("\(file.name)\t\(file.uri)")
            var report = "hashed \(local.size) bytes in \(String(format: "%.2f", hashed)) s; "
            report +=
                file.reused
                ? "reused the live upload of the same content"
                : "uploaded in \(String(format: "%.2f", sent)) s (\(String(format: "%.1f", Double(local.size) / 1e6 / max(sent, 0.001))) MB/s)"
            FileHandle.standardError.write(Data("\(report); expires in \(FilesTable.timeLeft(file.expirationTime, now: Date()))\n".utf8))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deletes a file on the server and marks it gone in the Store.")
        @OptionGroup var config: ConfigOption
        @Argument(help: "The file's name, files/ID or ID.")
        var name: String

        func run() async throws {
            let runtime = try FilesCommand.runtime(try config.load())
            try await runtime.files.delete(name: name)
            print("deleted \(name.hasPrefix("files/") ? name : "files/" + name)")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forgets expired and deleted uploads (--remote: first deletes all of ours on the server).",
            discussion: "Also abandons upload sessions older than the service keeps them (with --remote, every unfinished one).")
        @OptionGroup var config: ConfigOption
        @Flag(help: "Delete every live upload of ours on the server first.")
        var remote = false

        func run() async throws {
            let runtime = try FilesCommand.runtime(try config.load())
            let report = try await runtime.files.purge(remote: remote)
            for name in report.deletedRemotely { print("deleted \(name) on the server") }
            for name in report.failed { print("could not delete \(name) on the server (kept)") }
            print("forgot \(report.purged.count) expired or deleted upload(s); abandoned \(report.sessionsAbandoned) upload session(s)")
            if !report.failed.isEmpty { throw ExitCode(1) }
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The client, Store and upload cache, or exit status 2 when the key is missing.
    static func runtime(_ configuration: Configuration) throws -> Runtime {
        do {
            return try Runtime(
                configuration: configuration, environment: ProcessInfo.processInfo.environment,
                logger: CommandLogging.bootstrap(level: .notice))
        } catch {
            throw CommandFailure(status: 2, message: "\(error)")
        }
    }
}
