import Foundation

/// The effective configuration as TOML-like text for `dropsight config check`. Never includes the key.
extension Configuration {
    public var effectiveDescription: String {
        var lines: [String] = ["# effective configuration from \(sourcePath)", "[api]"]
        lines.append("base_url = \(quote(api.baseURL))")
        lines.append("model = \(quote(api.model))")
        if let k = api.keyFile { lines.append("key_file = \(quote(k))") }
        lines.append("transport = \(quote(api.transport.rawValue))")
        lines.append("inline_max_bytes = \(api.inlineMaxBytes)")
        lines.append("file_reuse_margin = \(quote("\(api.fileReuseMargin.components.seconds)s"))")
        lines.append("delete_after_use = \(api.deleteAfterUse)")
        lines.append("max_concurrency = \(api.maxConcurrency)")
        lines.append("requests_per_minute = \(api.requestsPerMinute)")
        lines.append("tokens_per_minute = \(api.tokensPerMinute)")
        lines.append("max_attempts = \(api.maxAttempts)")
        lines.append("request_timeout = \(quote("\(api.requestTimeout.components.seconds)s"))")
        lines.append("batch = \(quote(api.batch.mode.rawValue))")
        lines.append("batch_min_jobs = \(api.batch.minJobs)")
        lines.append("batch_poll = \(quote("\(api.batch.poll.components.seconds)s"))")
        lines.append("batch_max_requests = \(api.batch.maxRequests)")
        lines.append("batch_max_bytes = \(api.batch.maxBytes)")
        lines += ["", "[state]", "dir = \(quote(state.dir))", "shutdown_grace = \(quote("\(state.shutdownGrace.components.seconds)s"))"]
        lines += ["", "[images]", "max_pixels = \(images.maxPixels)", "max_file_bytes = \(images.maxFileBytes)"]
        for f in folders {
            lines += [
                "", "[[folder]]", "path = \(quote(f.path))", "prompts = [\(f.prompts.map(quote).joined(separator: ", "))]",
                "settle_ms = \(f.settleMs)",
            ]
            if !f.ignore.isEmpty { lines.append("ignore = [\(f.ignore.map(quote).joined(separator: ", "))]") }
            if let o = f.outputDir { lines.append("output_dir = \(quote(o))") }
            if let x = f.xmp { lines += ["xmp = true", "xmp_name = \(quote(x.rawValue))"] }
            if let b = f.batch { lines.append("batch = \(quote(b.rawValue))") }
        }
        for name in prompts.keys.sorted() {
            let p = prompts[name]!
            lines += [
                "", "[prompt.\(name)]", "kind = \(quote(p.kind.rawValue))", "text = \(quote(p.text))",
                "model = \(quote(p.effectiveModel(default: api.model)))",
            ]
            if let s = p.system { lines.append("system = \(quote(s))") }
            if let t = p.temperature { lines.append("temperature = \(t)") }
            switch p.thinking {
            case nil: break
            case .budget(let n): lines.append("thinking = \(n)")
            case let setting?: lines.append("thinking = \(quote(setting.description))")
            }
            if let m = p.maxOutputTokens { lines.append("max_output_tokens = \(m)") }
            if let m = p.mediaResolution { lines.append("media_resolution = \(quote(m.rawValue))") }
            switch p.resolution {
            case .auto, .original: lines.append("resolution = \(quote(p.resolution.description))")
            case .maxSide(let n): lines.append("resolution = \(n)")
            }
            if let s = p.schemaJSON { lines.append("schema = \(quote(s))") }
            if !p.references.isEmpty { lines.append("references = [\(p.references.map(quote).joined(separator: ", "))]") }
            if p.withPrevious { lines.append("with_previous = true") }
            if p.kind == .segment {
                lines.append("mask_threshold = \(p.maskThreshold)")
                lines.append("write_masks = \(p.writeMasks)")
            }
            if p.kind == .detect || p.kind == .segment {
                lines.append("overlay = \"\(p.overlay.rawValue)\"")
                lines.append("overlay_max_side = \(p.overlayMaxSide)")
            }
            if p.kind == .keywords {
                lines.append("max_keywords = \(p.maxKeywords)")
                if !p.vocabulary.isEmpty { lines.append("vocabulary = [\(p.vocabulary.map(quote).joined(separator: ", "))]") }
                if p.vocabularyOnly { lines.append("vocabulary_only = true") }
            }
            if let x = p.xmp { lines.append("xmp = \(quote(x.rawValue))") }
        }
        return lines.joined(separator: "\n")
    }
}

private func quote(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if ch.value < 0x20 { out += String(format: "\\u%04X", ch.value) } else { out.unicodeScalars.append(ch) }
        }
    }
    return out + "\""
}
