import Foundation
import Logging

/// Everything the emulator can be told at start; each field documents its default.
public struct EmulatorConfiguration: Sendable {
    /// How segmentation answers carry their masks.
    public enum MaskForm: String, Sendable, CaseIterable {
        /// `data:image/png;base64,` 256x256 8-bit grayscale PNG covering the box (Gemini 2.5, documented).
        case png
        /// Opaque `<start_of_mask><seg_N>...` codebook tokens (seen from 2.5 Flash in the wild).
        case tokens
        /// A list of `[y, x]` points on the 0-1000 grid (newer models).
        case polygon
    }

    /// Which models exist and how each behaves (see `ModelCatalog`).
    public enum Catalog: String, Sendable, CaseIterable {
        /// The late-2025 models of `gemini-api.md`, with that page's rules: image tiles, thinking
        /// budgets by name, `thinking_level` refused on 2.5 only.
        case y2025 = "2025"
        /// The December-2026 catalogue of `gemini-api-2026.md` §1.1: GA, preview, routed,
        /// closed and shut-down ids, thinking levels per model, image tokens per media
        /// resolution, polygon masks on 3.x.
        case y2026 = "2026"
    }

    /// How a text-mode spatial answer is wrapped, as real models do.
    public enum ReplyDressing: String, Sendable, CaseIterable {
        /// The JSON alone.
        case bare
        /// Inside a ```json fence.
        case fenced
        /// A sentence, the fence, then a closing remark.
        case prose
    }

    /// Address to bind. Default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (see `RunningEmulator.baseURL`). Default 0.
    public var port: Int = 0
    /// The one API key accepted; any other key gets 400 API_KEY_INVALID. Default `emulator-key`.
    public var apiKey: String = "emulator-key"
    /// Where files, upload sessions and the clock offset are kept so they survive a restart;
    /// nil means a temporary folder removed at stop. Uploaded bytes always go to disk.
    public var stateDirectory: URL?
    /// The model catalogue. Default `.y2026`.
    public var catalog: Catalog = .y2026
    /// When set, exactly these models exist (any other id gets the unknown-model 404). Ids of
    /// `catalog` keep their entry there (rules, routing, shut-down 404s), except that a model
    /// closed to new users is served, as for a project that used it before; other ids are
    /// served with rules guessed from their names. Default nil: every id of `catalog`.
    public var models: [String]?
    /// Models served besides the catalogue's (or `models`), named as in `models`.
    public var extraModels: [String] = []
    /// Extra delay before every generateContent/streamGenerateContent/countTokens answer, in
    /// milliseconds. Default 0.
    public var latencyMilliseconds: Int = 0
    /// With a value (at least `latencyMilliseconds`), that delay is uniform random in
    /// `latencyMilliseconds...latencyMaxMilliseconds`. Default nil (a fixed delay).
    public var latencyMaxMilliseconds: Int?
    /// Seeds the latency jitter and the rolls of fault scripts that carry no `seed`, so a run
    /// replays. Default 1.
    public var seed: UInt64 = 1
    /// Requests per minute per model before a 429; nil = unlimited (default).
    public var requestsPerMinute: Int?
    /// Prompt tokens per minute per model before a 429; nil = unlimited (default).
    public var tokensPerMinute: Int?
    /// Requests per day (Pacific time) per model before a 429; nil = unlimited (default).
    public var requestsPerDay: Int?
    /// Seconds an uploaded file stays `PROCESSING` before it turns `ACTIVE`. Default 0 (at once).
    public var processingSeconds: Double = 0
    /// Seconds a batch stays `BATCH_STATE_PENDING` on the emulator clock. Default 1.
    public var batchPendingSeconds: Double = 1
    /// Seconds a batch then stays `BATCH_STATE_RUNNING` (longer if its results take longer to
    /// compute) before it turns `BATCH_STATE_SUCCEEDED`. Default 2.
    public var batchRunningSeconds: Double = 2
    /// With a value, generated files (batch results) are downloaded at about this many bytes per second, in
    /// tenth-of-a-second pieces, so a test can stop a client in the middle of a download. Default: as fast as it goes.
    public var downloadBytesPerSecond: Int?
    /// Chunk granularity in bytes for non-final upload chunks. Default 8 MiB, the real value.
    public var chunkGranularity: Int = 8 * 1024 * 1024
    /// Largest file accepted, in bytes. Default 2 GB.
    public var maxFileBytes: Int64 = 2 * 1024 * 1024 * 1024
    /// Total bytes of live files per project. Default 20 GB.
    public var maxProjectBytes: Int64 = 20 * 1024 * 1024 * 1024
    /// Form of segmentation masks. Default `.png`.
    public var maskForm: MaskForm = .png
    /// Wrapping of text-mode spatial answers. Default `.fenced`, the most common real behaviour.
    public var replyDressing: ReplyDressing = .fenced
    /// A JSON file mapping prompt patterns to exact reply texts (see docs/emulator.md).
    public var repliesFile: URL?
    /// A JSON fault script installed at start (see docs/emulator.md).
    public var faultScriptFile: URL?
    /// Every request-log entry is also appended here as one JSON line (created 0600, appended
    /// across restarts). Default nil (memory only).
    public var requestLogFile: URL?
    /// Logger for server events. Never receives the API key.
    public var logger: Logger

    /// The ids of catalogue 2025.
    public static let defaultModels = [
        "gemini-2.0-flash", "gemini-2.0-flash-001", "gemini-2.0-flash-lite",
        "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-pro",
        "gemini-flash-latest", "gemini-flash-lite-latest",
        "gemini-3-flash-preview", "gemini-3-pro-preview",
    ]

    public init(logger: Logger) {
        self.logger = logger
    }
}
