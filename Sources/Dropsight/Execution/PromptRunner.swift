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
        let inputs: [ImageParts.Input]
        switch await gather(prompt, on: subject, uses: uses) {
        case .success(let gathered): inputs = gathered
        case .failure(let rejection): return outcome(rejection, prompt: prompt, now: now)
        }
        var reuploaded = false
        while true {
            let prepared: Prepared
            switch try await request(for: prompt, inputs: inputs) {
            case .success(let built): prepared = built
            case .failure(let rejection): return outcome(rejection, prompt: prompt, now: now)
            }
            do {
                let response = try await client.generateContent(
                    model: prompt.effectiveModel(default: defaultModel), request: prepared.request)
                return await answer(response, facts: prepared.facts, prompt: prompt, on: subject, output: output, now: now)
            } catch  where error.isFileGone && !reuploaded && !prepared.files.isEmpty {
                // A file we believed alive was deleted or expired early: upload again, once.
                for name in prepared.files { await parts.files?.markGone(name: name) }
                reuploaded = true
            } catch  where !error.isRetryable && error.accountProblem == nil {
                return outcome(.init(message: error.message, code: error.shortCode), prompt: prompt, now: now)
            }
        }
    }

    /// Why a photo cannot be sent: its prompt ends with this error, no retry helps.
    public struct Rejection: Error, Sendable {
        public var message: String
        public var code: String
    }

    /// What the sidecar records of a request: kept with a batch request until its answer comes.
    public struct RequestFacts: Codable, Sendable {
        public var sent: PromptResult.SentImage
        public var thinking: SentThinking?
        /// Images the request sends (references and the previous image included).
        public var images: Int
        /// Files API names the request refers to.
        public var files: [String]?
    }

    /// A request ready to send.
    public struct Prepared: Sendable {
        public var request: GenerateContentRequest
        public var facts: RequestFacts
        /// Files API names the request refers to.
        public var files: [String]
    }

    /// The request for `prompt` on `subject`, exactly as ``run(_:on:output:uses:now:)`` sends it (the Batch API
    /// sends it in a JSONL line); a rejection when the photo cannot be sent.
    public func prepare(
        _ prompt: PromptSettings, on subject: ImageSubject, uses: Int = 1
    ) async throws(GeminiError) -> Result<Prepared, Rejection> {
        switch await gather(prompt, on: subject, uses: uses) {
        case .success(let inputs): return try await request(for: prompt, inputs: inputs)
        case .failure(let rejection): return .failure(rejection)
        }
    }

    /// The prepared copies of every image the request sends, in order.
    private func gather(
        _ prompt: PromptSettings, on subject: ImageSubject, uses: Int
    ) async -> Result<[ImageParts.Input], Rejection> {
        let profile = await profiles.profile(for: prompt.effectiveModel(default: defaultModel))
        do {
            return .success(
                try await gatherInputs(
                    prompt, resolution: profile.sendResolution(for: prompt, caps: autoSideCaps), subject: subject, uses: uses))
        } catch let error as ImageSubject.Rejected {
            return .failure(.init(message: error.message, code: error.code))
        } catch let error as ImagingError {
            return .failure(.init(message: "the image could not be prepared: \(error)", code: error.code.sidecarCode))
        } catch {
            return .failure(.init(message: "the image could not be prepared: \(error)", code: "image_preparation"))
        }
    }

    /// Builds the parts (uploading what goes through the Files API) and the request body.
    private func request(
        for prompt: PromptSettings, inputs: [ImageParts.Input]
    ) async throws(GeminiError) -> Result<Prepared, Rejection> {
        let profile = await profiles.profile(for: prompt.effectiveModel(default: defaultModel))
        let own = inputs[inputs.count - 1].copy
        let estimatedTokens = await imageTokens.current().tokens(of: own, profile: profile, for: prompt)
        let built: (parts: [Part], transport: [String], files: [String])
        do {
            built = try await parts.parts(for: inputs, textBytes: prompt.text.utf8.count + (prompt.system?.utf8.count ?? 0))
        } catch let error as GeminiError {
            if error.isRetryable || error.accountProblem != nil { throw error }
            return .failure(.init(message: "the upload failed: \(error.message)", code: error.shortCode))
        } catch {
            throw GeminiError(code: .transport, message: "the upload could not be staged: \(error)")
        }
        let request = RequestBuilder.build(prompt: prompt, imageParts: built.parts, profile: profile)
        let sent = PromptResult.SentImage(
            width: own.width, height: own.height, bytes: own.data.count, mimeType: own.mimeType,
            estimatedTokens: estimatedTokens, transport: built.transport.last ?? "inline",
            mediaResolution: prompt.mediaResolution?.rawValue)
        return .success(
            Prepared(
                request: request.request,
                facts: RequestFacts(sent: sent, thinking: request.thinking, images: inputs.count, files: built.files),
                files: built.files))
    }

    /// A fresh result for `prompt`, before the answer is read.
    private func blankResult(_ prompt: PromptSettings, now: @Sendable () -> Date) -> PromptResult {
        PromptResult(
            status: .ok, kind: prompt.kind.rawValue, promptHash: prompt.definitionHash(defaultModel: defaultModel),
            model: prompt.effectiveModel(default: defaultModel), completedAt: now())
    }

    /// The `error` outcome of a rejection.
    private func outcome(_ rejection: Rejection, prompt: PromptSettings, now: @Sendable () -> Date) -> Outcome {
        var result = blankResult(prompt, now: now)
        result.fail(rejection.message, code: rejection.code, at: now())
        return Outcome(result: result, usage: nil, outputs: [])
    }

    /// Reads the answer to a request whose facts are `facts` (sent now, or in a batch), writing its overlay and
    /// masks: the result is `ok`, or an `error` when the model refused or answered nothing.
    public func answer(
        _ response: GenerateContentResponse, facts: RequestFacts, prompt: PromptSettings, on subject: ImageSubject,
        output: SafeOutput, now: @Sendable () -> Date = Date.init
    ) async -> Outcome {
        let profile = await profiles.profile(for: prompt.effectiveModel(default: defaultModel))
        var result = blankResult(prompt, now: now)
        func failed(_ message: String, _ code: String) -> Outcome {
            result.fail(message, code: code, at: now())
            return Outcome(result: result, usage: response.usageMetadata, outputs: [])
        }
        result.sent = facts.sent
        result.thinking = facts.thinking
        result.modelVersion = response.modelVersion
        result.finishReason = response.finishReason
        result.usage = response.usageMetadata.map(PromptResult.Usage.init)
        await imageTokens.observe(
            profile: profile, resolution: prompt.mediaResolution, images: facts.images,
            imageTokens: response.usageMetadata?.imageTokenCount, at: now())
        result.completedAt = PromptResult.timestamp(now())

        if let block = response.blockReason {
            return failed("the model refused the prompt (blockReason \(block))", "blocked")
        }
        guard let text = response.text else {
            return failed("the reply has no answer text (finishReason \(response.finishReason ?? "none"))", "empty_reply")
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
