import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// `kind = "keywords"`, the vocabulary, `xmp` on prompts and folders, and what they become.
@Suite struct KeywordsSettingsTests {
    func configuration(prompt: String, folder: String = "xmp = true") throws -> Configuration {
        try ConfigLoader.parse(
            text: """
                [[folder]]
                path = "/tmp/inbox"
                prompts = ["tags"]
                \(folder)

                [prompt.tags]
                \(prompt)
                """, sourcePath: "test.toml")
    }

    func messages(prompt: String, folder: String = "") -> [String] {
        do {
            _ = try configuration(prompt: prompt, folder: folder)
            return []
        } catch let e as ConfigErrors {
            return e.errors.map(\.message)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func keywordsPromptReadsItsVocabularyFromTheListAndTheFile() throws {
        let folder = try TemporaryFolder(prefix: "ds-vocab")
        defer { folder.cleanup() }
        let file = try folder.write(Data("# mine\nAnimals|Dog\n\n  Beach  \n".utf8), to: "vocabulary.txt")
        let c = try configuration(
            prompt:
                "kind = \"keywords\"\nmax_keywords = 5\nvocabulary = [\"Sunset\"]\nvocabulary_file = \"\(file)\"\nvocabulary_only = true",
            folder: "xmp = true\nxmp_name = \"basename\"")
        let p = try #require(c.prompts["tags"])
        #expect(p.text == ConfigLoader.defaultKeywordsText)
        #expect(p.maxKeywords == 5 && p.vocabularyOnly)
        #expect(p.vocabulary == ["Sunset", "Animals|Dog", "Beach"])
        #expect(c.folders.first?.xmp == .basename)
    }

    @Test func keywordSettingsNeedTheKeywordsKindAndXMPNeedsText() {
        #expect(messages(prompt: "text = \"x\"\nmax_keywords = 3") == ["max_keywords in [prompt.tags] needs kind = \"keywords\""])
        #expect(messages(prompt: "kind = \"keywords\"\nvocabulary_only = true").first?.contains("needs a vocabulary") == true)
        #expect(messages(prompt: "kind = \"keywords\"\nxmp = \"title\"") == ["xmp in [prompt.tags] needs kind = \"text\""])
        #expect(messages(prompt: "kind = \"keywords\"", folder: "xmp_name = \"basename\"").first?.contains("needs xmp = true") == true)
    }

    @Test func hashCoversKeywordSettingsAndLeavesOtherKindsAlone() {
        var p = PromptSettings(name: "tags", kind: .keywords, text: "k")
        let before = p.definitionHash(defaultModel: "m")
        p.maxKeywords = 7
        #expect(p.definitionHash(defaultModel: "m") != before)
        let afterCap = p.definitionHash(defaultModel: "m")
        p.vocabulary = ["Dog"]
        #expect(p.definitionHash(defaultModel: "m") != afterCap)
        var text = PromptSettings(name: "caption", kind: .text, text: "c")
        let textHash = text.definitionHash(defaultModel: "m")
        text.maxKeywords = 7
        text.xmp = .description
        #expect(text.definitionHash(defaultModel: "m") == textHash)
    }

    @Test func requestAsksForAnArrayOfStringsAndNamesTheVocabulary() {
        var p = PromptSettings(name: "tags", kind: .keywords, text: "Keywords please.")
        p.vocabulary = ["Animals|Dog"]
        p.vocabularyOnly = true
        let (request, _) = RequestBuilder.build(prompt: p, imageParts: [], profile: ModelCatalog.profile(for: "gemini-2.5-flash"))
        let config = request.generationConfig
        #expect(config?.responseMimeType == "application/json")
        #expect(config?.responseJsonSchema?["type"] == .string("array"))
        #expect(config?.responseJsonSchema?["items"]?["enum"] == .array([.string("Animals|Dog")]))
        guard case .text(let text)? = request.contents.first?.parts.last else {
            Issue.record("no text part")
            return
        }
        #expect(text.hasPrefix("Keywords please.") && text.contains("Use only keywords from this list, spelled as listed: Animals|Dog"))
    }

    @Test func xmpNamesAndOwnOutputs() throws {
        let names = OutputNames(imageName: "IMG.1.jpg")
        #expect(names.xmp(.full) == "IMG.1.jpg.xmp")
        #expect(names.xmp(.basename) == "IMG.1.xmp")
        #expect(OutputNames(imageName: "noext").xmp(.basename) == "noext.xmp")
        #expect(OutputNames.isOwnOutput("/x/IMG.jpg.xmp", promptNames: []))
        #expect(OutputNames.isOwnOutputQuick("/x/IMG.XMP", promptNames: []))
    }

    @Test func contributionTakesKeywordsOfOKResultsAndTheMarkedTexts() {
        var caption = PromptSettings(name: "caption", kind: .text, text: "c")
        caption.xmp = .description
        let prompts = [
            "caption": caption, "a": PromptSettings(name: "a", kind: .keywords, text: "k"),
            "b": PromptSettings(name: "b", kind: .keywords, text: "k"),
        ]
        func result(_ kind: String, keywords: [String]? = nil, text: String? = nil, ok: Bool = true) -> PromptResult {
            var r = PromptResult(status: ok ? .ok : .error, kind: kind, promptHash: "0", model: "m", completedAt: Date())
            r.keywords = keywords
            r.text = text
            return r
        }
        let sidecar = Sidecar(
            image: .init(file: "a.jpg", bytes: 1, sha256: ""),
            prompts: [
                "a": result("keywords", keywords: ["Dog", "grass"]), "b": result("keywords", keywords: ["dog", "sky"]),
                "caption": result("text", text: " A dog. \n"),
            ])
        let contribution = XMPSidecar.contribution(sidecar, prompts: prompts)
        #expect(contribution.keywords == ["Dog", "grass", "sky"])
        #expect(contribution.description == "A dog.")
    }
}
