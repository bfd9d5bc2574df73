import FileAccess
import Foundation
import Logging
import Store

/// At start, deals with the jobs the last process left running (it ended abnormally with them in flight):
/// each spends an attempt and is queued again as a suspect (run alone), and one in flight at two abnormal ends
/// in a row is quarantined (``Store/crashedTheDaemon``), its reason written to the sidecar without decoding the
/// image again, so a photo that kills the process cannot do so forever.
struct CrashRecovery {
    let store: Store
    let publisher: SidecarPublisher
    let logger: Logger

    func run(config: Configuration) async throws {
        let recovery = try await store.recoverAfterAbnormalEnd(now: Date())
        if !recovery.requeued.isEmpty {
            logger.warning(
                "the last run ended abnormally with \(recovery.requeued.count) job(s) in flight: queued again, one attempt spent, each run alone"
            )
        }
        for job in recovery.quarantined {
            var log = logger
            log[metadataKey: "dropsight.image"] = .string(job.imagePath)
            log[metadataKey: "dropsight.prompt"] = .string(job.prompt)
            let why = job.crashes >= 2 ? "in flight at two abnormal ends in a row" : "in flight at an abnormal end, at its last attempt"
            log.error("\(job.imagePath): \(job.prompt) quarantined (\(Store.crashedTheDaemon)): \(why); `dropsight retry` runs it again")
            await publish(job, config: config, log: log)
        }
    }

    /// Rewrites the sidecar from the Store with facts that need no decoding (name, size, the queued hash).
    private func publish(_ job: Job, config: Configuration, log: Logger) async {
        guard let folder = config.folder(owning: job.folder) else { return }
        guard let st = PathBytes.status(of: job.imagePath) else { return }
        let location = OutputLocation(imagePath: job.imagePath, folderRoot: folder.path, outputDir: folder.outputDir, xmp: folder.xmp)
        let facts = Sidecar.ImageFacts(file: location.imageName, bytes: Int64(st.st_size), sha256: job.sha256)
        do {
            try await publisher.publish(
                facts: facts, imagePath: job.imagePath, location: location, prompts: config.prompts, defaultModel: config.api.model)
        } catch {
            log.error("cannot write the sidecar of \(job.imagePath) (kept for later): \(error)")
        }
    }
}
