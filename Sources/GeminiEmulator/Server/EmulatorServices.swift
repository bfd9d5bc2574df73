import Foundation
import Hummingbird
import Logging
import Synchronization

/// The emulator's shared parts, handed to every handler.
struct EmulatorServices: Sendable {
    let configuration: EmulatorConfiguration
    let models: ModelCatalog
    let clock: EmulatorClock
    let files: FileStore
    let batches: BatchStore
    let log: RequestLog
    let quotas: QuotaLedger
    let faults: FaultScript
    let latency: Latency
    let worker: ImageWorker
    let replies: CannedReplies
    let address: BoundAddress

    var logger: Logger { configuration.logger }
}

/// `host:port` the server really listens on, known once it is bound.
final class BoundAddress: Sendable {
    private let value = Mutex<String>("")

    var authority: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// What a handler wants done with a request.
enum HandlerOutcome: Sendable {
    case respond(Response)
    /// Close the connection without an answer (fault script `drop`).
    case drop
}
