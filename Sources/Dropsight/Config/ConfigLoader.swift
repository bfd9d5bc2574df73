import Foundation
import TOMLKit

/// Reads `dropsight.toml` into a `Configuration`, rejecting unknown keys and bad values with file, line and column.
///
/// Relative folder and reference paths are resolved against the current directory.
public enum ConfigLoader {
    /// The default prompt for `detect` prompts without `text`, from Google's image-understanding page.
    public static let defaultDetectText =
        "Detect the all of the prominent items in the image. The box_2d should be [ymin, xmin, ymax, xmax] normalized to 0-1000."
    /// The default prompt for `segment` prompts without `text`, after Google's segmentation example.
    public static let defaultSegmentText =
        "Give the segmentation masks for the prominent items. Output a JSON list of segmentation masks where each entry contains the 2D bounding box in the key \"box_2d\", the segmentation mask in key \"mask\", and the text label in the key \"label\". Use descriptive labels."

    /// The default prompt for `keywords` prompts without `text` (the request adds the cap, the form and the vocabulary).
    public static let defaultKeywordsText =
        "Give keywords for this photo: its main subjects, the setting, notable objects, activities, colours and mood."

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors(errors: [
                ConfigError(file: path, message: "cannot read the configuration file: \(error.localizedDescription)")
            ])
        }
        return try parse(text: text, sourcePath: path, environment: environment)
    }

    public static func parse(text: String, sourcePath: String, environment: [String: String] = [:]) throws -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigErrors(errors: [
                ConfigError(
                    file: sourcePath, line: error.source.begin.line, column: error.source.begin.column,
                    message: "TOML syntax error: \(error.description)")
            ])
        }
        let map = TOMLSourceMap(text: text)
        var errors: [ConfigError] = []
        let report: (String, [String]) -> Void = { message, keyPath in
            let pos = map.position(of: keyPath)
            errors.append(ConfigError(file: sourcePath, line: pos?.line, column: pos?.column, message: message))
        }

        let top = TableReader(root, path: [], report: report)
        let api = readAPI(top.raw("api"), report: report)
        let state = readState(top.raw("state"), environment: environment, report: report)
        var images = ImageSettings()
        if let t = table(top.raw("images"), ["images"], report) {
            let r = TableReader(t, path: ["images"], report: report)
            images.maxPixels = r.int("max_pixels", range: 1...2_000_000_000) ?? images.maxPixels
            images.maxFileBytes = r.int("max_file_bytes", range: 1...1_000_000_000_000).map(Int64.init) ?? images.maxFileBytes
            r.rejectUnknown()
        }
        let prompts = readPrompts(top.raw("prompt"), report: report)
        let folders = readFolders(top.raw("folder"), prompts: prompts, report: report)
        top.rejectUnknown()
        for (name, p) in prompts where p.mediaResolution == .ultraHigh {
            let model = p.effectiveModel(default: api.model)
            if ModelCatalog.profile(for: model).mediaResolutionPlacement != .perPart {
                report(
                    "media_resolution = \"ultra_high\" in [prompt.\(name)] needs a Gemini 3 model; \(model) takes low, medium or high",
                    ["prompt", name, "media_resolution"])
            }
        }

        if folders.isEmpty && errors.isEmpty { report("no [[folder]] is configured: add at least one folder to watch", []) }
        if !errors.isEmpty { throw ConfigErrors(errors: errors.sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }) }
        return Configuration(api: api, state: state, images: images, folders: folders, prompts: prompts, sourcePath: sourcePath)
    }

    private static func table(_ value: (any TOMLValueConvertible)?, _ path: [String], _ report: (String, [String]) -> Void) -> TOMLTable? {
        guard let value else { return nil }
        guard let t = value.table else {
            report("[\(path.joined(separator: "."))] must be a table", path)
            return nil
        }
        return t
    }

    private static func readAPI(_ value: (any TOMLValueConvertible)?, report: @escaping (String, [String]) -> Void) -> APISettings {
        var api = APISettings()
        guard let t = table(value, ["api"], report) else { return api }
        let r = TableReader(t, path: ["api"], report: report)
        if let url = r.string("base_url") {
            if let u = URL(string: url), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), let host = u.host {
                if scheme == "https" || LoopbackHost.contains(host) {
                    api.baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
                } else {
                    report(
                        "base_url in [api] must use https:// (plain http:// is only accepted to localhost, 127.0.0.0/8 or ::1), not \"\(url)\"",
                        ["api", "base_url"])
                }
            } else {
                report("base_url in [api] must be an https:// URL, not \"\(url)\"", ["api", "base_url"])
            }
        }
        api.model = r.string("model") ?? api.model
        api.keyFile = r.string("key_file")
        api.transport = r.choice("transport", TransportPolicy.self) ?? api.transport
        api.inlineMaxBytes = r.int("inline_max_bytes", range: 1024...100_000_000) ?? api.inlineMaxBytes
        api.fileReuseMargin = r.duration("file_reuse_margin") ?? api.fileReuseMargin
        api.deleteAfterUse = r.bool("delete_after_use") ?? api.deleteAfterUse
        api.maxConcurrency = r.int("max_concurrency", range: 1...256) ?? api.maxConcurrency
        api.requestsPerMinute = r.int("requests_per_minute", range: 0...1_000_000) ?? api.requestsPerMinute
        api.tokensPerMinute = r.int("tokens_per_minute", range: 0...1_000_000_000) ?? api.tokensPerMinute
        api.maxAttempts = r.int("max_attempts", range: 1...100) ?? api.maxAttempts
        api.requestTimeout = r.duration("request_timeout") ?? api.requestTimeout
        readBatch(r, into: &api.batch, report: report)
        if let v = r.raw("auto_max_side") {
            if let caps = v.table {
                let c = TableReader(caps, path: ["api", "auto_max_side"], report: report)
                let range = 64...16384
                api.autoMaxSide.low = c.int("low", range: range) ?? api.autoMaxSide.low
                api.autoMaxSide.medium = c.int("medium", range: range) ?? api.autoMaxSide.medium
                api.autoMaxSide.high = c.int("high", range: range) ?? api.autoMaxSide.high
                api.autoMaxSide.ultraHigh = c.int("ultra_high", range: range) ?? api.autoMaxSide.ultraHigh
                c.rejectUnknown()
            } else {
                report(
                    "auto_max_side in [api] must be a table such as { low = 768, medium = 1024, high = 1536, ultra_high = 3072 }",
                    ["api", "auto_max_side"])
            }
        }
        r.rejectUnknown()
        return api
    }

    /// The `batch*` keys of `[api]`; a poll under a second or a byte limit at or above the service's 2 GB is refused.
    private static func readBatch(_ r: TableReader, into batch: inout BatchSettings, report: @escaping (String, [String]) -> Void) {
        batch.mode = r.choice("batch", BatchMode.self) ?? batch.mode
        batch.minJobs = r.int("batch_min_jobs", range: 1...10_000_000) ?? batch.minJobs
        if let poll = r.duration("batch_poll") {
            if poll < .seconds(1) {
                report("batch_poll in [api] must be at least 1s", ["api", "batch_poll"])
            } else {
                batch.poll = poll
            }
        }
        batch.maxRequests = r.int("batch_max_requests", range: 1...1_000_000) ?? batch.maxRequests
        batch.maxBytes = r.int("batch_max_bytes", range: 1_000_000...1_900_000_000) ?? batch.maxBytes
    }

    private static func readState(
        _ value: (any TOMLValueConvertible)?, environment: [String: String],
        report: @escaping (String, [String]) -> Void
    ) -> StateSettings {
        var state = StateSettings(dir: defaultStateDir(environment))
        guard let t = table(value, ["state"], report) else { return state }
        let r = TableReader(t, path: ["state"], report: report)
        if let dir = r.string("dir") { state.dir = absolute(dir) }
        state.shutdownGrace = r.duration("shutdown_grace") ?? state.shutdownGrace
        r.rejectUnknown()
        return state
    }

    /// `$STATE_DIRECTORY` (systemd's StateDirectory=), else `/var/lib/dropsight` for root, else `$XDG_STATE_HOME/dropsight`.
    static func defaultStateDir(_ env: [String: String]) -> String {
        if let dir = env["STATE_DIRECTORY"]?.split(separator: ":").first, !dir.isEmpty { return String(dir) }
        if getuid() == 0 { return "/var/lib/dropsight" }
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/dropsight" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/state/dropsight"
    }

    private static func readPrompts(
        _ value: (any TOMLValueConvertible)?, report: @escaping (String, [String]) -> Void
    ) -> [String: PromptSettings] {
        guard let t = table(value, ["prompt"], report) else { return [:] }
        var prompts: [String: PromptSettings] = [:]
        for name in t.keys.sorted() {
            guard let pt = t[name]?.table else {
                report("[prompt.\(name)] must be a table", ["prompt", name])
                continue
            }
            if !isSafePromptName(name) {
                report(
                    "prompt name \"\(name)\" may use only letters, digits, '-' and '_' (it becomes part of output file names)",
                    ["prompt", name])
                continue
            }
            prompts[name] = readPrompt(name: name, pt, report: report)
        }
        return prompts
    }

    /// Prompt names become parts of file names (`IMG.jpg.NAME.png`), so they are kept plain.
    static func isSafePromptName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func readPrompt(name: String, _ t: TOMLTable, report: @escaping (String, [String]) -> Void) -> PromptSettings {
        let path = ["prompt", name]
        let r = TableReader(t, path: path, report: report)
        let chosen = r.choice("kind", PromptKind.self)
        let kindIsValid = chosen != nil || t["kind"] == nil
        let kind = chosen ?? .text
        var text = r.string("text")
        if text == nil {
            switch kind {
            case .detect: text = defaultDetectText
            case .segment: text = defaultSegmentText
            case .keywords: text = defaultKeywordsText
            case .text, .json: if kindIsValid { report("[prompt.\(name)] needs a text", path) }
            }
        }
        var p = PromptSettings(name: name, kind: kind, text: text ?? "")
        p.model = r.string("model")
        p.system = r.string("system")
        p.temperature = r.double("temperature", range: 0...2)
        p.thinking = readThinking(r, name: name, report: report)
        p.maxOutputTokens = r.int("max_output_tokens", range: 1...1_000_000)
        p.mediaResolution = r.choice("media_resolution", MediaResolution.self)
        if let v = r.raw("resolution") {
            if let n = v.int, n >= 16 {
                p.resolution = .maxSide(n)
            } else if v.string == "auto" {
                p.resolution = .auto
            } else if v.string == "original" {
                p.resolution = .original
            } else {
                report(
                    "resolution in [prompt.\(name)] must be \"auto\", \"original\" or a long-side pixel cap of at least 16",
                    path + ["resolution"])
            }
        }
        if let v = r.raw("schema") {
            if let s = v.string {
                if (try? JSONSerialization.jsonObject(with: Data(s.utf8))) != nil {
                    p.schemaJSON = s
                } else {
                    report("schema in [prompt.\(name)] is not valid JSON", path + ["schema"])
                }
            } else if let table = v.table {
                p.schemaJSON = table.convert(to: .json)
            } else {
                report("schema in [prompt.\(name)] must be a JSON string or a table", path + ["schema"])
            }
            if kind != .json { report("schema in [prompt.\(name)] needs kind = \"json\"", path + ["schema"]) }
        }
        p.references = (r.strings("references") ?? []).map(absolute)
        p.withPrevious = r.bool("with_previous") ?? false
        p.maskThreshold = r.int("mask_threshold", range: 0...255) ?? 127
        p.writeMasks = r.bool("write_masks") ?? false
        p.overlayMaxSide = r.int("overlay_max_side", range: 64...16384) ?? 1024
        p.overlay = r.choice("overlay", OverlayMode.self) ?? .composite
        readKeywordSettings(r, into: &p, report: report)
        p.xmp = r.choice("xmp", XMPField.self)
        if p.xmp != nil, kind != .text { report("xmp in [prompt.\(name)] needs kind = \"text\"", path + ["xmp"]) }
        r.rejectUnknown()
        return p
    }

    /// `max_keywords`, `vocabulary`, `vocabulary_file` (one keyword a line; blank lines and `#` comments
    /// skipped) and `vocabulary_only`, which only `keywords` prompts take.
    private static func readKeywordSettings(_ r: TableReader, into p: inout PromptSettings, report: @escaping (String, [String]) -> Void) {
        let path = ["prompt", p.name]
        p.maxKeywords = r.int("max_keywords", range: 1...500) ?? p.maxKeywords
        p.vocabulary = r.strings("vocabulary") ?? []
        if let file = r.string("vocabulary_file") {
            do {
                let lines = try String(contentsOfFile: absolute(file), encoding: .utf8).split(whereSeparator: \.isNewline)
                p.vocabulary += lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
            } catch {
                report("vocabulary_file in [prompt.\(p.name)] cannot be read: \(error.localizedDescription)", path + ["vocabulary_file"])
            }
        }
        p.vocabularyOnly = r.bool("vocabulary_only") ?? false
        if p.vocabularyOnly, p.vocabulary.isEmpty {
            report("vocabulary_only in [prompt.\(p.name)] needs a vocabulary or vocabulary_file", path + ["vocabulary_only"])
        }
        for key in ["max_keywords", "vocabulary", "vocabulary_file", "vocabulary_only"] where p.kind != .keywords && r.raw(key) != nil {
            report("\(key) in [prompt.\(p.name)] needs kind = \"keywords\"", path + [key])
        }
    }

    /// `thinking = "off" | "minimal" | "low" | "medium" | "high" | <budget>`, or the older `thinking_budget = <budget>`.
    private static func readThinking(_ r: TableReader, name: String, report: @escaping (String, [String]) -> Void) -> ThinkingSetting? {
        let budget = r.int("thinking_budget", range: -1...32768)
        guard let v = r.raw("thinking") else { return budget.map(ThinkingSetting.budget) }
        let path = ["prompt", name, "thinking"]
        if budget != nil { report("[prompt.\(name)] sets both thinking and thinking_budget; keep thinking", path) }
        if let n = v.int {
            if (-1...32768).contains(n) { return .budget(n) }
        } else if let s = v.string {
            if s == "off" { return .off }
            if let level = ThinkingLevel(rawValue: s) { return .level(level) }
        }
        report(
            "thinking in [prompt.\(name)] must be \"off\", \"minimal\", \"low\", \"medium\", \"high\" or a token budget from -1 to 32768",
            path)
        return nil
    }

    private static func readFolders(
        _ value: (any TOMLValueConvertible)?, prompts: [String: PromptSettings],
        report: @escaping (String, [String]) -> Void
    ) -> [FolderSettings] {
        guard let value else { return [] }
        guard let array = value.array else {
            report("folder must be an array of tables: write [[folder]]", ["folder"])
            return []
        }
        var folders: [FolderSettings] = []
        for (i, item) in array.enumerated() {
            let path = ["folder", String(i)]
            guard let t = item.table else {
                report("each [[folder]] must be a table", path)
                continue
            }
            let r = TableReader(t, path: path, report: report)
            guard let dir = r.string("path") else {
                report("[[folder]] needs a path", path)
                r.rejectUnknown()
                continue
            }
            let names = r.strings("prompts") ?? []
            if names.isEmpty { report("[[folder]] \"\(dir)\" needs at least one prompt in prompts = [...]", path + ["prompts"]) }
            for n in names where prompts[n] == nil {
                report("[[folder]] \"\(dir)\" names prompt \"\(n)\", but there is no [prompt.\(n)]", path + ["prompts"])
            }
            var f = FolderSettings(path: absolute(dir), prompts: names)
            f.settleMs = r.int("settle_ms", range: 0...600_000) ?? f.settleMs
            f.ignore = r.strings("ignore") ?? []
            f.outputDir = r.string("output_dir").map(absolute)
            let naming = r.choice("xmp_name", XMPNaming.self)
            if r.bool("xmp") == true {
                f.xmp = naming ?? .full
            } else if naming != nil {
                report("xmp_name in [[folder]] \"\(dir)\" needs xmp = true", path + ["xmp_name"])
            }
            f.batch = r.choice("batch", BatchMode.self)
            r.rejectUnknown()
            folders.append(f)
        }
        return folders
    }

    /// Makes `path` absolute against the current directory and removes `.`/`..` and trailing slashes.
    public static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: base).standardizedFileURL.path
    }
}
