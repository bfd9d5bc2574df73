import Foundation

/// What a batch's lines are read from.
enum BatchInput: Sendable {
    /// A JSONL file opened at create: `{"key": ..., "request": {...}}` per line.
    case file(JSONLReader)
    /// Inline requests, normalized at create: `{"request": {...}, "metadata": {...}}` each.
    case inline([WireJSON])
}

/// Computes a batch's results line by line, exactly as generateContent would answer each
/// request (`ContentGenerator`), and hands them to the store.
struct BatchRunner: Sendable {
    let services: EmulatorServices
    let batchID: String
    let model: String
    let answering: ModelEntry

    func run(_ input: BatchInput) async {
        do {
            let results: BatchResults
            switch input {
            case .file(let reader): results = try await runFile(reader)
            case .inline(let requests): results = try await runInline(requests)
            }
            await services.batches.finish(batchID, results: results)
        } catch {
            services.logger.error("batch failed", metadata: ["emulator.batch": "\(batchID)", "emulator.error": "\(error)"])
            _ = await services.batches.end(batchID, as: .failed, message: "The batch could not be run: \(error)")
        }
    }

    /// Writes one result line per input line to a scratch file, in input order.
    private func runFile(_ input: JSONLReader) async throws -> BatchResults {
        var reader = input
        defer { reader.close() }
        let scratch = services.files.scratchPath(for: "batch-\(batchID)")
        guard FileManager.default.createFile(atPath: scratch, contents: nil) else {
            throw StoreError(code: .io, message: "Cannot create \(scratch).")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch))
        defer { try? output.close() }
        var successful = 0
        var failed = 0
        while let line = try reader.next() {
            guard await services.batches.wantsResults(batchID), !Task.isCancelled else { break }
            let (key, outcome) = await self.outcome(ofLine: line)
            var fields = [Self.field(outcome, successful: &successful, failed: &failed)]
            if let key { fields.append(("key", key)) }
            try output.write(contentsOf: Data((WireJSONWriter.string(.object(fields)) + "\n").utf8))
        }
        return BatchResults(successful: successful, failed: failed, finishTime: services.clock.now, scratchPath: scratch)
    }

    private func runInline(_ requests: [WireJSON]) async throws -> BatchResults {
        var lines: [WireJSON] = []
        var successful = 0
        var failed = 0
        for item in requests {
            guard await services.batches.wantsResults(batchID), !Task.isCancelled else { break }
            let outcome = await outcome(ofRequest: item["request"] ?? .object([]))
            var fields = [Self.field(outcome, successful: &successful, failed: &failed)]
            if let metadata = item["metadata"] { fields.append(("metadata", metadata)) }
            lines.append(.object(fields))
        }
        return BatchResults(successful: successful, failed: failed, finishTime: services.clock.now, inlined: lines)
    }

    /// One JSONL line, a JSON object with a `request` and a `key`: the key (if it has one) and
    /// the outcome.
    private func outcome(ofLine line: Data) async -> (WireJSON?, Result<WireJSON, GoogleError>) {
        let parsed: WireJSON
        do {
            parsed = try WireJSONParser.parse(line)
        } catch {
            return (nil, .failure(.invalidArgument("Invalid JSON payload received. \(error.reason)")))
        }
        guard let request = parsed["request"] else {
            let message = "Each line must be a JSON object with a \"request\" and a \"key\"."
            return (parsed["key"], .failure(.invalidArgument(message)))
        }
        do {
            return (parsed["key"], await outcome(ofRequest: try ContentGenerator.normalize(request)))
        } catch {
            return (parsed["key"], .failure(error))
        }
    }

    /// The generateContent answer to one normalized request, or the error it would get.
    private func outcome(ofRequest request: WireJSON) async -> Result<WireJSON, GoogleError> {
        do {
            let prompt = try await PromptRequest.read(request, model: model, files: services.files)
            return .success(try await ContentGenerator(services: services).response(to: prompt, answering: answering))
        } catch {
            return .failure(error)
        }
    }

    /// A result line's answer: `response`, or `error` as a status object; counted in `successful` or `failed`.
    static func field(_ outcome: Result<WireJSON, GoogleError>, successful: inout Int, failed: inout Int) -> (String, WireJSON) {
        switch outcome {
        case .success(let response):
            successful += 1
            return ("response", response)
        case .failure(let error):
            failed += 1
            return ("error", status(error))
        }
    }

    /// A `google.rpc.Status` as result lines carry it: `{"code", "message", "status"[, "details"]}`.
    static func status(_ error: GoogleError) -> WireJSON {
        error.body["error"] ?? .object([])
    }
}
