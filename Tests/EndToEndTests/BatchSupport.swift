import Foundation
import Testing

@testable import Dropsight

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The batch tests, one at a time: each runs a daemon and many photos.
@Suite(.serialized, .cleansUp) struct BatchTests {}

extension Harness {
    /// Two prompts (a caption and boxes) in a folder that goes by batch only, polled every second.
    static func batchHarness(
        api: String = "", folderBatch: String? = "always", running: Double = 1, downloadBytesPerSecond: Int? = nil
    ) async throws -> Harness {
        let h = try await Harness(prompts: Harness.twoPrompts, folderPrompts: ["caption", "boxes"], api: "batch_poll = \"1s\"\n" + api) {
            $0.batchPendingSeconds = 0.5
            $0.batchRunningSeconds = running
            $0.downloadBytesPerSecond = downloadBytesPerSecond
        }
        if let folderBatch {
            try h.writeConfig(
                folders: [.init(path: h.inbox, prompts: ["caption", "boxes"], extra: "batch = \"\(folderBatch)\"")],
                prompts: Harness.twoPrompts, api: "batch_poll = \"1s\"\n" + api)
        }
        return h
    }

    /// The emulator's batches, oldest first (`GET /_emulator/batches`).
    func emulatorBatches() async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: emulator.baseURL.appendingPathComponent("_emulator/batches"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["batches"] as? [[String: Any]] ?? []
    }

    /// Create calls the emulator received (answered or cut off).
    func batchCreates() async throws -> Int {
        try await requests().filter { ($0["path"] as? String)?.hasSuffix(":batchGenerateContent") == true }.count
    }

    /// Drops `count` small photos named `prefix-NNN.jpg`.
    func dropPhotos(_ count: Int, prefix: String = "photo") throws -> [String] {
        try (0..<count).map { try dropImage(named: String(format: "\(prefix)-%03d.jpg", $0), width: 64, height: 48) }
    }
}

/// True when every prompt of the sidecar is ok and came back from a batch.
func answeredByBatch(_ sidecar: Sidecar?, prompts: Int = 2) -> Bool {
    guard let sidecar, sidecar.prompts.count == prompts else { return false }
    return sidecar.prompts.values.allSatisfy { $0.status == .ok && $0.transport == "batch" && $0.batch != nil }
}
