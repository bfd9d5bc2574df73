/// Writes the model's answer text from what the emulator saw in the prompt's images.
struct AnswerComposer: Sendable {
    let worker: ImageWorker
    let maskForm: EmulatorConfiguration.MaskForm
    /// The answering model's masks: `maskForm`, or polygon outlines (3.x).
    let segmentation: SegmentationForm
    let dressing: EmulatorConfiguration.ReplyDressing

    /// The answer for `prompt`; `scenes[i]` is the analysis of `prompt.media[i]` (nil if not an image).
    func answer(_ prompt: PromptRequest, scenes: [SceneAnalysis?]) async throws -> String {
        let kind = PromptKind.of(prompt)
        let jsonMode = prompt.responseMimeType?.lowercased() == "application/json"
        let firstScene = scenes.compactMap { $0 }.first
        let caption = describe(prompt, scenes: scenes)

        if jsonMode, let schema = prompt.responseSchema {
            var filler = SchemaFiller(scene: firstScene, caption: caption)
            if segmentation == .outline, let scene = firstScene, WireJSONWriter.string(schema).contains(#""mask""#) {
                for object in scene.objects { filler.masks[object.region] = try await mask(for: object, in: scene) }
            }
            return WireJSONWriter.string(filler.value(for: schema))
        }
        if prompt.responseMimeType?.lowercased() == "text/x.enum", let schema = prompt.responseSchema {
            return SchemaFiller(scene: firstScene, caption: caption).value(for: schema).stringValue ?? caption
        }
        switch kind {
        case .detect, .segment:
            guard let scene = firstScene else { return jsonMode ? "[]" : dress("[]", kind: kind, scene: nil) }
            let list = try await spatialList(scene, withMasks: kind == .segment)
            return jsonMode ? list : dress(list, kind: kind, scene: scene)
        case .describe:
            guard jsonMode else { return caption }
            let objects: [WireJSON] = (firstScene?.objects ?? []).map { object in
                .object([
                    ("label", .string(object.label)),
                    ("box_2d", boxJSON(object, in: firstScene!)),
                ])
            }
            return WireJSONWriter.string(
                .compactObject([
                    ("caption", .string(caption)),
                    ("width", firstScene.map { .int(Int64($0.width)) }),
                    ("height", firstScene.map { .int(Int64($0.height)) }),
                    ("objects", .array(objects)),
                ]))
        }
    }

    private func describe(_ prompt: PromptRequest, scenes: [SceneAnalysis?]) -> String {
        if prompt.media.isEmpty {
            let asked = prompt.promptText.prefix(200)
            return "This is the Gemini emulator. It read your prompt (\(prompt.promptText.count) characters): \"\(asked)\""
        }
        if prompt.media.count == 1 {
            if let scene = scenes[0] { return SceneDescription.caption(scene) }
            return "A \(prompt.media[0].mimeType) file of \(prompt.media[0].byteCount) bytes."
        }
        return SceneDescription.comparison(prompt.media.indices.map { ($0 + 1, scenes[$0], prompt.media[$0]) })
    }

    /// `[{"box_2d": [...], "mask": ..., "label": "..."}, ...]`, one item a line like real replies.
    private func spatialList(_ scene: SceneAnalysis, withMasks: Bool) async throws -> String {
        var lines: [String] = []
        for object in scene.objects {
            var fields: [(String, WireJSON)] = [("box_2d", boxJSON(object, in: scene))]
            if withMasks { fields.append(("mask", try await mask(for: object, in: scene))) }
            fields.append(("label", .string(object.label)))
            lines.append("  " + WireJSONWriter.spacedLine(.object(fields)))
        }
        return lines.isEmpty ? "[]" : "[\n" + lines.joined(separator: ",\n") + "\n]"
    }

    private func mask(for object: SceneObject, in scene: SceneAnalysis) async throws -> WireJSON {
        switch segmentation {
        case .configured:
            return try await worker.mask(for: object, in: scene, form: maskForm)
        case .outline:
            return .array(await worker.outline(of: object, in: scene).map { .array([.int(Int64($0.x)), .int(Int64($0.y))]) })
        }
    }

    private func boxJSON(_ object: SceneObject, in scene: SceneAnalysis) -> WireJSON {
        .array(object.box2d(width: scene.width, height: scene.height).map { .int(Int64($0)) })
    }

    private func dress(_ json: String, kind: PromptKind, scene: SceneAnalysis?) -> String {
        switch dressing {
        case .bare:
            return json
        case .fenced:
            return "```json\n\(json)\n```"
        case .prose:
            let what = kind == .segment ? "segmentation masks" : "bounding box detections"
            let count = scene?.objects.count ?? 0
            let background = scene?.backgroundName ?? "plain"
            return "Here are the \(what):\n```json\n\(json)\n```\n"
                + "I found \(count) object\(count == 1 ? "" : "s") against the \(background) background."
        }
    }
}
