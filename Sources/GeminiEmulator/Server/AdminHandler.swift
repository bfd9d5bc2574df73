import Foundation
import Hummingbird

/// The `/_emulator/` control endpoints (no API key): request log, reset, clock, faults, limits.
struct AdminHandler {
    let services: EmulatorServices

    /// Every admin endpoint, for `--help` and docs.
    static let endpoints: [(String, String)] = [
        ("GET  /_emulator/health", "{\"ok\": true} once the server answers"),
        (
            "GET  /_emulator/requests",
            "JSON list of the requests received: method, path, query, command,\n"
                + "      status, headers (API key redacted), partKinds, mediaSHA256,\n"
                + "      promptText, bytes, model, offset, fault, responseId"
        ),
        (
            "POST /_emulator/reset",
            "clear the request log, the armed faults and the rate-limit counters\n"
                + "      (files stay)"
        ),
        ("GET  /_emulator/clock", "{\"now\", \"offsetSeconds\"} of the emulator clock"),
        (
            "POST /_emulator/clock",
            "body {\"advanceSeconds\": N}: move the clock forward (file expiry,\n"
                + "      PROCESSING -> ACTIVE, quota windows)"
        ),
        ("GET  /_emulator/faults", "the fault rules still armed"),
        ("POST /_emulator/faults", "body: a fault script (replaces the armed rules)"),
        ("GET  /_emulator/limits", "current rate limits"),
        (
            "GET  /_emulator/batches",
            "{\"pendingSeconds\", \"runningSeconds\", \"batches\": [{\"name\", \"displayName\",\n"
                + "      \"state\", \"requestCount\", \"resultsReady\"}]}: batch timing and every batch,\n"
                + "      oldest first (resultsReady: every line computed)"
        ),
        (
            "POST /_emulator/batches",
            "body {\"pendingSeconds\", \"runningSeconds\"} (either may be left out): how\n"
                + "      long batches stay PENDING, then RUNNING (existing batches too)"
        ),
        (
            "POST /_emulator/batches/end",
            "body {\"name\": \"batches/ID\", \"state\": \"FAILED\"|\"EXPIRED\", \"message\"}:\n"
                + "      end a batch that is not done yet, without results"
        ),
        ("POST /_emulator/limits", "body {\"rpm\", \"tpm\", \"rpd\"} (null = unlimited): change the limits"),
    ]

    func handle(_ request: Request, path: String) async -> Response {
        let method = request.method
        switch (method, path) {
        case (.get, "/_emulator/health"):
            return WireResponse.json(.object([("ok", .bool(true))]))
        case (.get, "/_emulator/requests"):
            return WireResponse.json(.array(services.log.all.map(\.json)))
        case (.post, "/_emulator/reset"):
            services.log.clear()
            services.faults.install(ParsedFaultScript(rules: []))
            services.quotas.reset()
            return WireResponse.json(.object([]))
        case (.get, "/_emulator/clock"):
            return clockAnswer()
        case (.post, "/_emulator/clock"):
            guard let body = await jsonBody(request), let seconds = body["advanceSeconds"]?.doubleValue, seconds >= 0 else {
                return adminError("POST /_emulator/clock needs a body like {\"advanceSeconds\": 176400}.")
            }
            services.clock.advance(by: seconds)
            return clockAnswer()
        case (.get, "/_emulator/faults"):
            return WireResponse.json(
                .object([
                    ("armed", .int(Int64(services.faults.remaining.count))),
                    ("rules", .array(services.faults.remaining.map(describe))),
                ]))
        case (.post, "/_emulator/faults"):
            do {
                let data = try await request.body.collect(upTo: 1 << 20)
                services.faults.install(try FaultScript.parse(Data(buffer: data)))
                return WireResponse.json(.object([("armed", .int(Int64(services.faults.remaining.count)))]))
            } catch {
                return adminError("\(error)")
            }
        case (.get, "/_emulator/limits"):
            return limitsAnswer()
        case (.post, "/_emulator/limits"):
            guard let body = await jsonBody(request) else {
                return adminError("POST /_emulator/limits needs a body like {\"rpm\": 10, \"tpm\": null, \"rpd\": 500}.")
            }
            var limits = services.quotas.limits
            func value(_ key: String, _ current: Int?) -> Int? {
                guard let item = body[key] else { return current }
                return item.intValue.map(Int.init)
            }
            limits.requestsPerMinute = value("rpm", limits.requestsPerMinute)
            limits.tokensPerMinute = value("tpm", limits.tokensPerMinute)
            limits.requestsPerDay = value("rpd", limits.requestsPerDay)
            services.quotas.limits = limits
            return limitsAnswer()
        case (.get, "/_emulator/batches"):
            return await batchesAnswer()
        case (.post, "/_emulator/batches"):
            guard let body = await jsonBody(request) else {
                return adminError("POST /_emulator/batches needs a body like {\"pendingSeconds\": 0, \"runningSeconds\": 0.5}.")
            }
            var timing = await services.batches.timing
            timing.pendingSeconds = max(0, body["pendingSeconds"]?.doubleValue ?? timing.pendingSeconds)
            timing.runningSeconds = max(0, body["runningSeconds"]?.doubleValue ?? timing.runningSeconds)
            await services.batches.setTiming(timing)
            return await batchesAnswer()
        case (.post, "/_emulator/batches/end"):
            return await endBatch(await jsonBody(request))
        default:
            return WireResponse.json(
                .object([("error", .string("Unknown admin endpoint \(method.rawValue) \(path)."))]),
                status: .notFound)
        }
    }

    private func clockAnswer() -> Response {
        WireResponse.json(
            .object([
                ("now", .string(Timestamp.rfc3339(services.clock.now))),
                ("offsetSeconds", .double(services.clock.offsetSeconds)),
            ]))
    }

    private func batchesAnswer() async -> Response {
        let timing = await services.batches.timing
        let now = services.clock.now
        let batches: [WireJSON] = await services.batches.all().map { batch in
            .object([
                ("name", .string(batch.name)),
                ("displayName", .string(batch.displayName)),
                ("state", .string(batch.state(at: now, timing: timing).wireName)),
                ("requestCount", .int(Int64(batch.requestCount))),
                ("resultsReady", .bool(batch.results != nil)),
            ])
        }
        return WireResponse.json(
            .object([
                ("pendingSeconds", .double(timing.pendingSeconds)),
                ("runningSeconds", .double(timing.runningSeconds)),
                ("batches", .array(batches)),
            ]))
    }

    /// Ends a batch as FAILED or EXPIRED (404 when unknown, 409 when already done).
    private func endBatch(_ body: WireJSON?) async -> Response {
        guard let name = body?["name"]?.stringValue, let stateName = body?["state"]?.stringValue,
            let state = BatchState(name: stateName), state == .failed || state == .expired
        else {
            return adminError(
                "POST /_emulator/batches/end needs a body like {\"name\": \"batches/ID\", \"state\": \"FAILED\"} (FAILED or EXPIRED).")
        }
        let id = name.hasPrefix("batches/") ? String(name.dropFirst("batches/".count)) : name
        switch await services.batches.end(id, as: state, message: body?["message"]?.stringValue) {
        case nil:
            return WireResponse.json(.object([("error", .string("No batch \(name)."))]), status: .notFound)
        case false?:
            return WireResponse.json(.object([("error", .string("The batch \(name) is already done."))]), status: .conflict)
        case true?:
            return WireResponse.json(.object([("name", .string("batches/\(id)")), ("state", .string(state.wireName))]))
        }
    }

    private func limitsAnswer() -> Response {
        let limits = services.quotas.limits
        func number(_ value: Int?) -> WireJSON { value.map { .int(Int64($0)) } ?? .null }
        return WireResponse.json(
            .object([
                ("rpm", number(limits.requestsPerMinute)),
                ("tpm", number(limits.tokensPerMinute)),
                ("rpd", number(limits.requestsPerDay)),
            ]))
    }

    private func describe(_ rule: FaultRule) -> WireJSON {
        .compactObject([
            ("route", .string(rule.route.rawValue)),
            ("model", rule.model.map(WireJSON.string)),
            ("promptContains", rule.promptContains.map(WireJSON.string)),
            ("command", rule.command.map(WireJSON.string)),
            ("skip", .int(Int64(rule.skip))),
            ("count", rule.count.map { .int(Int64($0)) } ?? .null),
            ("probability", rule.probability.map(WireJSON.double)),
            ("action", .string(rule.action.name)),
            ("delayMs", .int(Int64(rule.delayMilliseconds))),
            ("delayMaxMs", rule.delayMaxMilliseconds.map { .int(Int64($0)) }),
        ])
    }

    private func jsonBody(_ request: Request) async -> WireJSON? {
        guard let data = try? await request.body.collect(upTo: 1 << 20) else { return nil }
        return try? WireJSONParser.parse(Data(buffer: data))
    }

    private func adminError(_ message: String) -> Response {
        WireResponse.json(.object([("error", .string(message))]), status: .badRequest)
    }
}
