import DropsightTestSupport
import Foundation

@testable import Store

/// Opens a store in a new temporary directory, runs `body`, removes the directory.
func withStore<T>(maxAttempts: Int = 8, _ body: (Store, TemporaryFolder) async throws -> T) async throws -> T {
    let dir = try TemporaryFolder(prefix: "dropsight-store")
    defer { dir.cleanup() }
    let store = try await Store.open(path: dir.path + "/state/dropsight.sqlite", maxAttempts: maxAttempts)
    return try await body(store, dir)
}

func image(
    _ path: String, folder: String = "/photos", sha: String = "sha-1", size: Int64 = 100,
    mtime: Int64 = 1_000
) -> ImageRecord {
    ImageRecord(path: path, folder: folder, size: size, mtimeNs: mtime, sha256: sha)
}

let describe = PromptSpec(name: "describe", hash: "h-describe-1")
let detect = PromptSpec(name: "detect", hash: "h-detect-1")
let t0 = Date(timeIntervalSince1970: 1_750_000_000)

extension Data {
    init(json: String) { self.init(json.utf8) }
}
