import Foundation
import Hummingbird

/// The Batch API: `models/{model}:batchGenerateContent`, `batches.get`, `.list`, `.cancel`,
/// `.delete`.
struct BatchesHandler {
    let services: EmulatorServices

    /// Inline requests may total at most 20 MB (gemini-api-2026.md §6); the create body is
    /// held to that.
    static let maxInlineBytes = 20 * 1024 * 1024

    /// Creates a batch (never idempotent: the same request twice makes two batches) and answers
    /// its Operation, PENDING.
    func create(_ request: Request, model: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        let answering: ModelEntry
        do {
            answering = try services.models.answering(model, method: "batchGenerateContent")
        } catch {
            await request.body.drain()
            return .respond(WireResponse.error(error))
        }
        let batch: WireJSON
        let input: BatchInput
        let requestCount: Int
        do {
            batch = try await readBatch(request, entry: &entry)
            (input, requestCount) = try await readInput(batch["inputConfig"])
        } catch {
            return .respond(WireResponse.error(error))
        }
        let probe = FaultProbe(route: .batchGenerateContent, model: model)
        if let outcome = await FaultApplier(services: services).apply(probe, entry: &entry).outcome { return outcome }
        let record = BatchRecord(
            id: RandomID.batchID(), displayName: batch["displayName"]?.stringValue ?? "", model: "models/\(model)",
            createTime: services.clock.now, priority: batch["priority"]?.intValue,
            inputFileName: batch["inputConfig"]?["fileName"]?.stringValue, requestCount: requestCount)
        let runner = BatchRunner(services: services, batchID: record.id, model: model, answering: answering)
        await services.batches.add(record) { await runner.run(input) }
        entry.batch = record.name
        // As created: PENDING, whatever the clock says by now.
        let timing = await services.batches.timing
        return .respond(WireResponse.json(BatchResource.operation(record, now: record.createTime, timing: timing)))
    }

    func get(_ id: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .batches), entry: &entry).outcome {
            return outcome
        }
        return await respond(id, entry: &entry)
    }

    /// Newest first; `pageSize` defaults to 10 and is capped at 100. Inline results are left out.
    func list(_ request: Request, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .batches), entry: &entry).outcome {
            return outcome
        }
        let (pageSize, token) = request.page
        let page = await services.batches.list(pageSize: pageSize, after: token)
        let now = services.clock.now
        let timing = await services.batches.timing
        var body: [(String, WireJSON)] = []
        if !page.batches.isEmpty {
            let operations = page.batches.map { BatchResource.operation($0, now: now, timing: timing, withInlined: false) }
            body.append(("operations", .array(operations)))
        }
        if let next = page.nextToken { body.append(("nextPageToken", .string(PageToken.encode(next)))) }
        return .respond(WireResponse.json(.object(body)))
    }

    /// `:cancel` and `:delete`, and `DELETE`; both answer `{}`. Cancelling a batch that is
    /// already over changes nothing.
    func act(_ action: String, on id: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        if let outcome = await FaultApplier(services: services).apply(FaultProbe(route: .batches), entry: &entry).outcome {
            return outcome
        }
        entry.batch = "batches/\(id)"
        switch action {
        case "cancel":
            guard await services.batches.end(id, as: .cancelled) != nil else { return .respond(WireResponse.error(.batchNotFound)) }
        case "delete":
            guard await services.batches.delete(id) else { return .respond(WireResponse.error(.batchNotFound)) }
        default:
            return .respond(WireResponse.error(.methodNotFound))
        }
        return .respond(WireResponse.json(.object([])))
    }

    private func respond(_ id: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        entry.batch = "batches/\(id)"
        guard let batch = await services.batches.batch(id) else { return .respond(WireResponse.error(.batchNotFound)) }
        let timing = await services.batches.timing
        return .respond(WireResponse.json(BatchResource.operation(batch, now: services.clock.now, timing: timing)))
    }

    /// The normalized `batch` of the create body (snake_case or camelCase keys).
    private func readBatch(_ request: Request, entry: inout LoggedRequest) async throws(GoogleError) -> WireJSON {
        let parsed = try await request.wireJSON(upTo: Self.maxInlineBytes, entry: &entry)
        do {
            return try RequestNormalizer.normalize(parsed, as: "BatchGenerateContentRequest")["batch"] ?? .object([])
        } catch {
            throw .badRequest(error)
        }
    }

    /// The input and its number of requests: a live ACTIVE JSONL file (403 / 400 as
    /// generateContent answers for files), or at least one inline request.
    private func readInput(_ config: WireJSON?) async throws(GoogleError) -> (BatchInput, Int) {
        if let fileName = config?["fileName"]?.stringValue {
            let id = PromptRequest.fileID(fromURI: fileName)
            guard let file = await services.files.liveFile(id), let path = await services.files.contentsPath(of: id) else {
                throw .fileDenied(id)
            }
            guard file.isActive(at: services.clock.now) else { throw .fileNotActive(id) }
            do {
                var reader = try JSONLReader(path: path)
                var count = 0
                while try reader.next() != nil { count += 1 }
                try reader.rewind()
                guard count > 0 else { throw GoogleError.invalidArgument("The input file files/\(id) has no requests.") }
                return (.file(reader), count)
            } catch let error as GoogleError {
                throw error
            } catch {
                throw .internalError
            }
        }
        if let requests = config?["requests"]?["requests"]?.arrayValue, !requests.isEmpty {
            return (.inline(requests), requests.count)
        }
        throw .invalidArgument("* GenerateContentBatch.input_config: input_config must name a file or hold requests.\n")
    }
}
