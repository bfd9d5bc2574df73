import ArgumentParser
import Foundation
import GeminiEmulator
import Logging

/// `gemini-emulator`: a local stand-in for the Gemini API (generateContent, countTokens, Files API).
@main
struct GeminiEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemini-emulator",
        abstract: "A local stand-in for Google's Gemini API that answers from the pixels it is sent.",
        discussion: """
            Routes (prefix v1beta, v1alpha or v1):
              POST /v1beta/models/{model}:generateContent | :streamGenerateContent
              POST /v1beta/models/{model}:countTokens
              POST /upload/v1beta/files  (resumable start; the session URL takes
                                          upload, "upload, finalize", finalize,
                                          query, cancel)
              GET  /v1beta/files/{id}, GET /v1beta/files?pageSize=&pageToken=
              DELETE /v1beta/files/{id}, GET /v1beta/models[/{model}]
            API key: x-goog-api-key header or ?key= (missing: 403, wrong: 400
            API_KEY_INVALID); upload session URLs need none.

            Admin endpoints (no key):
            \(EmulatorServer.adminEndpoints.map { "  \($0.0)\n      \($0.1)" }.joined(separator: "\n"))

            Fault script (--faults FILE or POST /_emulator/faults), a JSON list or
            {"seed": N, "faults": [...]}:
              [{"route": "generateContent", "count": 2, "status": 503},
               {"route": "upload", "command": "upload", "action": "drop",
                "afterBytes": 1048576},
               {"route": "generateContent", "probability": 0.1, "action": "cutOff"},
               {"action": "maxTokens"}, {"action": "blocked"},
               {"delayMs": 100, "delayMaxMs": 1500}]
            route: any, generateContent, streamGenerateContent, countTokens,
                   upload, files; filters: model, promptContains, command, skip
            count: requests caught (default 1; unlimited with probability)
            probability: chance (0 < p <= 1) a matching request is caught
            action: status (429, 500, 503, 504, ...), delay, drop, maxTokens,
                    blocked, garbage, safety, midStreamError, cutOff

            Replies file (--replies FILE), first match wins:
              [{"match": "socks", "replyFile": "spatial_detect_socks.txt"},
               {"match": "^count", "regex": true, "reply": "3"}]

            Full reference: docs/emulator.md.
            """
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free port (see --port-file).")
    var port = 8089

    @Option(help: "Write the bound port to this file once listening.")
    var portFile: String?

    @Option(help: "The API key accepted (default: $GEMINI_EMULATOR_KEY, else emulator-key).")
    var key: String?

    @Option(help: "Keep files, upload sessions and the clock here so they survive restarts (default: a temporary folder removed at exit).")
    var stateDir: String?

    @Option(help: "Extra latency before every generateContent/streamGenerateContent/countTokens answer, in milliseconds.")
    var latencyMs = 0

    @Option(help: "With this, the latency is uniform random between --latency-ms and this many milliseconds.")
    var latencyMaxMs: Int?

    @Option(help: "Seed of the latency jitter and of --faults scripts without a \"seed\" (runs replay).")
    var seed: UInt64 = 1

    @Option(help: "Also append every request-log entry to this file, one JSON object a line (created 0600).")
    var logFile: String?

    @Option(help: "Requests per minute per model before 429 RESOURCE_EXHAUSTED (default: unlimited).")
    var rpm: Int?

    @Option(help: "Prompt tokens per minute per model before 429 (default: unlimited).")
    var tpm: Int?

    @Option(help: "Requests per day (Pacific time) per model before a daily-quota 429 (default: unlimited).")
    var rpd: Int?

    @Option(help: "Seconds an uploaded file stays PROCESSING before turning ACTIVE (0: at once).")
    var processingSeconds: Double = 0

    @Option(help: "Seconds a batch stays BATCH_STATE_PENDING before it runs.")
    var batchPendingSeconds: Double = 1

    @Option(help: "Seconds a batch then stays BATCH_STATE_RUNNING (at least until its results are computed) before it SUCCEEDS.")
    var batchRunningSeconds: Double = 2

    @Option(help: "Chunk granularity for non-final upload chunks, in bytes.")
    var chunkGranularity = 8 * 1024 * 1024

    @Option(help: "Largest file accepted, in bytes (2 GB).")
    var maxFileBytes: Int64 = 2 * 1024 * 1024 * 1024

    @Option(help: "Total bytes of live files per project (20 GB).")
    var maxProjectBytes: Int64 = 20 * 1024 * 1024 * 1024

    @Option(help: "Form of segmentation masks: png (256x256 grayscale data URL), tokens (<start_of_mask><seg_N>...), polygon.")
    var maskForm = "png"

    @Option(help: "Wrapping of text-mode detection/segmentation answers: bare, fenced (```json), prose (text around the fence).")
    var replyDressing = "fenced"

    @Option(help: "JSON file mapping prompt patterns to exact reply texts.")
    var replies: String?

    @Option(help: "JSON fault script armed at start.")
    var faults: String?

    @Option(help: "Model catalogue: 2026 (December 2026: routed, retired and closed ids, thinking levels) or 2025 (late-2025 rules).")
    var catalog = "2026"

    @Option(parsing: .singleValue, help: "A model to serve besides the catalogue's (repeatable).")
    var model: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard EmulatorConfiguration.MaskForm(rawValue: maskForm) != nil else {
            throw ValidationError("--mask-form must be png, tokens or polygon, not \(maskForm).")
        }
        guard EmulatorConfiguration.ReplyDressing(rawValue: replyDressing) != nil else {
            throw ValidationError("--reply-dressing must be bare, fenced or prose, not \(replyDressing).")
        }
        guard EmulatorConfiguration.Catalog(rawValue: catalog) != nil else {
            throw ValidationError("--catalog must be 2025 or 2026, not \(catalog).")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        guard chunkGranularity > 0 else { throw ValidationError("--chunk-granularity must be positive.") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must be at least 0.") }
        if let latencyMaxMs, latencyMaxMs < latencyMs {
            throw ValidationError("--latency-max-ms (\(latencyMaxMs)) must be at least --latency-ms (\(latencyMs)).")
        }
    }

    func run() async throws {
        var logger = Logger(label: "gemini-emulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var config = EmulatorConfiguration(logger: logger)
        config.host = host
        config.port = port
        config.apiKey = key ?? ProcessInfo.processInfo.environment["GEMINI_EMULATOR_KEY"] ?? config.apiKey
        config.stateDirectory = stateDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
        config.latencyMilliseconds = latencyMs
        config.latencyMaxMilliseconds = latencyMaxMs
        config.seed = seed
        config.requestLogFile = logFile.map { URL(fileURLWithPath: $0) }
        config.requestsPerMinute = rpm
        config.tokensPerMinute = tpm
        config.requestsPerDay = rpd
        config.processingSeconds = processingSeconds
        config.batchPendingSeconds = batchPendingSeconds
        config.batchRunningSeconds = batchRunningSeconds
        config.chunkGranularity = chunkGranularity
        config.maxFileBytes = maxFileBytes
        config.maxProjectBytes = maxProjectBytes
        config.maskForm = EmulatorConfiguration.MaskForm(rawValue: maskForm) ?? .png
        config.replyDressing = EmulatorConfiguration.ReplyDressing(rawValue: replyDressing) ?? .fenced
        config.repliesFile = replies.map { URL(fileURLWithPath: $0) }
        config.faultScriptFile = faults.map { URL(fileURLWithPath: $0) }
        config.catalog = EmulatorConfiguration.Catalog(rawValue: catalog) ?? .y2026
        config.extraModels = model
        let portFile = self.portFile
        try await EmulatorServer.run(config: config) { url in
            if let portFile {
                try? String(url.port ?? 0).write(toFile: portFile, atomically: true, encoding: .utf8)
            }
            // Unbuffered, so scripts waiting on the line see it at once.
            FileHandle.standardOutput.write(Data("gemini-emulator listening on \(url.absoluteString)\n".utf8))
        }
    }
}
