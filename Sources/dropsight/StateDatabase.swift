import Dropsight
import Foundation
import Store

/// Opens the daemon's state database for the queue commands (safe while the daemon runs: SQLite WAL).
enum StateDatabase {
    static func open(_ configuration: Configuration) async throws -> Store {
        let path = configuration.state.databasePath
        do {
            return try await Store.open(path: path, maxAttempts: configuration.api.maxAttempts)
        } catch {
            throw CommandFailure(status: 1, message: "dropsight: cannot open the state database: \(error)")
        }
    }

    /// Opens it read-only for `dropsight status`: never created, migrated or written.
    static func openReadOnly(_ configuration: Configuration) async throws -> Store {
        let path = configuration.state.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(
                status: 1, message: "dropsight: no state database at \(path) yet: the daemon has not run with this configuration")
        }
        do {
            return try await Store.openReadOnly(path: path)
        } catch {
            throw CommandFailure(status: 1, message: "dropsight: cannot read the state database: \(error)")
        }
    }

    /// The IMAGE token counts the daemon has seen, or none when there is no state database (yet) or it cannot be read.
    static func observedImageTokens(_ configuration: Configuration) async -> ObservedImageTokens {
        guard FileManager.default.fileExists(atPath: configuration.state.databasePath),
            let store = try? await openReadOnly(configuration), let records = try? await store.imageTokenRecords()
        else { return ObservedImageTokens() }
        return ObservedImageTokens(records)
    }

    /// Absolute, standardised paths, made the way the daemon makes the configured folders' paths.
    static func absolute(_ paths: [String]) -> [String] { paths.map(ConfigLoader.absolute) }

    /// What the user reads after queueing jobs from the command line.
    static let pickupNote = "a running daemon starts them within a few seconds"
}
