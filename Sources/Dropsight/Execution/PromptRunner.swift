import Foundation
import GeminiAPI
import Imaging
import Logging

/// Runs one prompt on one image: prepares the images, sends the request, reads the reply.
///
/// Returns the prompt's result, `ok` or a permanent `error`. Throws `GeminiError` only when the photo is not
/// at fault: when retrying later can help (rate limits, server faults, network) or the answer is about the
/// account (``GeminiAPI/GeminiError/accountProblem``), so the caller decides when to try again.
public struct PromptRunner: Sendable {
    public let client: GeminiClient
    public let defaultModel: String
    public let parts: ImageParts
    public let maxPixels: Int
    /// `[images] max_file_bytes`, for the previous image and references (the image itself was checked before).
    public let maxFileBytes: Int64
    /// Every configured prompt name, to tell our own overlay PNGs from images.
    public let promptNames: Set<String>
    /// `[api] auto_max_side`.
    public let autoSideCaps: AutoSideCaps
    public let profiles: ModelProfiles
    public let imageTokens: ImageTokenBook
    public let logger: Logger

    public init(
        client: GeminiClient, defaultModel: String, parts: ImageParts, maxPixels: Int,
        maxFileBytes: Int64 = ImageSettings.defaultMaxFileBytes, promptNames: Set<String>,
        autoSideCaps: AutoSideCaps = AutoSideCaps(), profiles: ModelProfiles, imageTokens: ImageTokenBook, logger: Logger
    ) {
        self.client = client
        self.defaultModel = defaultModel
        self.parts = parts
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
        self.promptNames = promptNames
        self.autoSideCaps = autoSideCaps
        self.profiles = profiles
        self.imageTokens = imageTokens
        self.logger = logger
    }

    /// What one run produced, besides the sidecar fragment.
    public struct Outcome: Sendable {
        public var result: PromptResult
        public var usage: UsageMetadata?
        /// Output files written beside the image (overlay, masks).
        public var outputs: [String]
    }

    /// - Parameter uses: how many prompts of this image send the same copy (more than one favours an upload).
    public func run(
        _ prompt: PromptSettings, on subject: ImageSubject, output: SafeOutput, uses: Int = 1,
        now: @Sendable () -> Date = Date.init
    ) async throws(GeminiError) -> Outcome {
        let model = prompt.effectiveModel(default: defaultModel)
        let profile = await profiles.profile(for: model)
        var result = PromptResult(
            status: .ok, kind: prompt.kind.rawValue, promptHash: prompt.definitionHash(defaultModel: defaultModel),
            model: model, completedAt: now())
        func failed(_ message: String, _ code: String) -> Outcome {
            result.fail(message, code: code, at: now())
            return Outcome(result: result, usage: nil, outputs: [])
        }

        let inputs: [ImageParts.Input]
        do {
            inputs = try await gatherInputs(
                prompt, resolution: profile.sendResolution(for: prompt, caps: autoSideCaps), subject: subject,
                uses: uses)
        } catch let error as ImageSubject.Rejected {
            return failed(error.message, error.code)
        } catch let error as ImagingError {
            return failed("the image could not be prepared: \(error)", error.code.sidecarCode)
        } catch {
            return failed("the image could not be prepared: \(error)", "image_preparation")
        }
        let own = inputs[inputs.count - 1].copy
        let estimatedTokens = await imageTokens.current().tokens(of: own, profile: profile, for: prompt)

        var response: GenerateContentResponse
        var transport: [String] = []
        var thinking: SentThinking?
        var reuploaded = false
        while true {
            let built: (parts: [Part], transport: [String], files: [String])
            do {
                built = try await parts.parts(for: inputs, textBytes: prompt.text.utf8.count + (prompt.system?.utf8.count ?? 0))
            } catch let error as GeminiError {
                if error.isRetryable || error.accountProblem != nil { throw error }
                return failed("the upload failed: \(error.message)", error.shortCode)
            } catch {
                throw GeminiError(code: .transport, message: "the upload could not be staged: \(error)")
            }
            transport = built.transport
            do {
                let request = RequestBuilder.build(prompt: prompt, imageParts: built.parts, profile: profile)
                thinking = request.thinking
                response = try await client.generateContent(model: model, request: request.request)
                break
            } catch  where error.isFileGone && !reuploaded && !built.files.isEmpty {
                // A file we believed alive was deleted or expired early: upload again, once.
                for name in built.files { await parts.files?.markGone(name: name) }
                reuploaded = true
            } catch  where !error.isRetryable && error.accountProblem == nil {
                return failed(error.message, error.shortCode)
            }
        }
        result.sent = .init(
            width: own.width, height: own.height, bytes: own.data.count, mimeType: own.mimeType,
            estimatedTokens: estimatedTokens, transport: transport.last ?? "inline",
            mediaResolution: prompt.mediaResolution?.rawValue)
        result.thinking = thinking
        result.modelVersion = response.modelVersion
        result.finishReason = response.finishReason
        result.usage = response.usageMetadata.map(PromptResult.Usage.init)
        await imageTokens.observe(
            profile: profile, resolution: prompt.mediaResolution, images: inputs.count,
            imageTokens: response.usageMetadata?.imageTokenCount, at: now())
        result.completedAt = PromptResult.timestamp(now())

        if let block = response.blockReason {
            var o = failed("the model refused the prompt (blockReason \(block))", "blocked")
            o.usage = response.usageMetadata
            return o
        }
        guard let text = response.text else {
            var o = failed("the reply has no answer text (finishReason \(response.finishReason ?? "none"))", "empty_reply")
            o.usage = response.usageMetadata
            return o
        }
        result.text = text
        let outputs = await Interpreter.interpret(
            text: text, prompt: prompt, subject: subject, output: output,
            into: &result, logger: logger)
        return Outcome(result: result, usage: response.usageMetadata, outputs: outputs)
    }

    /// References first, then the previous image, then the image itself: the order the request sends them.
    private func gatherInputs(
        _ prompt: PromptSettings, resolution: ResolutionSetting, subject: ImageSubject,
        uses: Int
    ) async throws -> [ImageParts.Input] {
        var inputs: [ImageParts.Input] = []
        var others: [String] = prompt.references
        if prompt.withPrevious, let previous = PreviousImage.find(before: subject.path, promptNames: promptNames) {
            others.append(previous)
        }
        for path in others {
            let (pixels, bytes) = (maxPixels, maxFileBytes)
            let copy = try await BlockingWork.run {
                try ImageSubject(path: path, maxPixels: pixels, maxFileBytes: bytes).prepared(resolution)
            }
            // References and previous images serve many requests: they go through the Files API under `auto`.
            inputs.append(.init(copy: copy, displayName: (path as NSString).lastPathComponent, uses: Int.max))
        }
        let own = try await BlockingWork.run { try subject.prepared(resolution) }
        inputs.append(.init(copy: own, displayName: subject.facts.file, uses: uses, image: subject.path))
        return inputs
    }
}
