import Foundation
import Testing

@testable import Dropsight

@Suite struct ConfigLoaderTests {
    let good = """
        [api]
        base_url = "http://127.0.0.1:9999"
        model = "gemini-2.5-flash"

        [[folder]]
        path = "/tmp/inbox"
        prompts = ["caption", "boxes"]

        [prompt.caption]
        text = "Caption this."
        temperature = 0.2

        [prompt.boxes]
        kind = "detect"
        """

    func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try ConfigLoader.parse(text: text, sourcePath: "test.toml")
            return []
        } catch let e as ConfigErrors {
            return e.errors
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func goodConfigurationGetsItsDefaults() throws {
        let c = try ConfigLoader.parse(text: good, sourcePath: "test.toml")
        #expect(c.api.baseURL == "http://127.0.0.1:9999")
        #expect(c.folders.first?.settleMs == 1000)
        #expect(c.prompts["caption"]?.temperature == 0.2)
        #expect(c.prompts["boxes"]?.text == ConfigLoader.defaultDetectText)
        #expect(c.prompts["boxes"]?.thinking == nil, "spatial prompts get the model's lowest setting when sent")
        #expect(c.api.maxAttempts == 8)
    }

    @Test func thinkingTakesLevelsOffOrABudgetAndThinkingBudgetStillWorks() throws {
        func thinking(_ line: String) throws -> ThinkingSetting? {
            try ConfigLoader.parse(text: good.replacingOccurrences(of: "temperature = 0.2", with: line), sourcePath: "t.toml")
                .prompts["caption"]?.thinking
        }
        #expect(try thinking("thinking = \"low\"") == .level(.low))
        #expect(try thinking("thinking = \"off\"") == .off)
        #expect(try thinking("thinking = 512") == .budget(512))
        #expect(try thinking("thinking_budget = 0") == .budget(0))
        let bad = errors(good.replacingOccurrences(of: "temperature = 0.2", with: "thinking = \"lots\""))
        #expect(bad.first?.message.contains("must be \"off\", \"minimal\", \"low\", \"medium\", \"high\" or a token budget") == true)
        let both = errors(good.replacingOccurrences(of: "temperature = 0.2", with: "thinking = \"low\"\nthinking_budget = 0"))
        #expect(both.first?.message == "[prompt.caption] sets both thinking and thinking_budget; keep thinking")
    }

    @Test func ultraHighNeedsAGemini3ModelAndAutoCapsAreRead() throws {
        let ultra = good.replacingOccurrences(
            of: "temperature = 0.2", with: "media_resolution = \"ultra_high\"\nmodel = \"gemini-2.5-flash\"")
        #expect(errors(ultra).first?.message.contains("needs a Gemini 3 model") == true)
        let fine = good.replacingOccurrences(
            of: "temperature = 0.2", with: "media_resolution = \"ultra_high\"\nmodel = \"gemini-3.8-flash\"")
        #expect(try ConfigLoader.parse(text: fine, sourcePath: "t.toml").prompts["caption"]?.mediaResolution == .ultraHigh)
    }

    @Test func theDefaultModelIsCurrentAndOldModelsAreWarnedAbout() throws {
        let c = try ConfigLoader.parse(
            text: good.replacingOccurrences(of: "model = \"gemini-2.5-flash\"\n", with: ""), sourcePath: "t.toml")
        #expect(c.api.model == "gemini-3.5-flash-lite")
        #expect(c.modelWarnings.isEmpty)
        var old = c
        old.api.model = "gemini-2.5-flash"
        #expect(
            old.modelWarnings == [
                "model gemini-2.5-flash is closed to new users (404 \"no longer available to new users\"); configure gemini-3.5-flash-lite"
            ])
        old.api.model = "gemini-3.7-flash"
        #expect(old.modelWarnings.first?.contains("answered by gemini-3.8-flash") == true)
    }

    @Test func unknownKeyIsNamedWithLineAndColumn() {
        let e = errors(good.replacingOccurrences(of: "temperature = 0.2", with: "  tempreature = 0.2"))
        #expect(e.count == 1)
        #expect(e.first?.line == 11)
        #expect(e.first?.column == 3)
        #expect(e.first?.description == "test.toml:11:3: unknown key \"tempreature\" in [prompt.caption]")
    }

    @Test func badValuesAreNamedWithTheirPlace() {
        let e = errors(
            good.replacingOccurrences(of: "temperature = 0.2", with: "temperature = \"hot\"")
                .replacingOccurrences(of: "kind = \"detect\"", with: "kind = \"detection\""))
        #expect(e.count == 2)
        #expect(e[0].line == 11 && e[0].message.contains("must be a number"))
        #expect(e[1].line == 14 && e[1].message.contains("\"text\", \"json\", \"detect\", \"segment\""))
    }

    @Test func syntaxErrorsCarryTOMLKitsPosition() {
        let e = errors("[api]\nmodel = \"x\nbase_url = 3\n")
        #expect(e.count == 1)
        #expect(e.first?.line == 2)
        #expect(e.first?.message.hasPrefix("TOML syntax error") == true)
    }

    @Test func folderMustNameExistingPrompts() {
        let e = errors(good.replacingOccurrences(of: "prompts = [\"caption\", \"boxes\"]", with: "prompts = [\"caption\", \"nope\"]"))
        #expect(e.count == 1)
        #expect(e.first?.line == 7)
        #expect(e.first?.message.contains("no [prompt.nope]") == true)
    }

    @Test func secondFolderErrorsPointAtTheSecondFolder() {
        let text = good + "\n\n[[folder]]\npath = \"/tmp/b\"\nprompts = [\"caption\"]\ncolour = 1\n"
        let e = errors(text)
        #expect(e.count == 1)
        #expect(e.first?.line == 19)
        #expect(e.first?.message == "unknown key \"colour\" in [folder]")
    }

    @Test func promptNamesMustBeSafeForFileNames() {
        let e = errors(good + "\n[prompt.\"../x\"]\ntext = \"t\"\n")
        #expect(e.contains { $0.message.contains("may use only letters") })
    }

    @Test func noFolderIsAnError() {
        let e = errors("[prompt.a]\ntext = \"t\"\n")
        #expect(e.first?.message.contains("no [[folder]]") == true)
    }

    @Test func durationsAndSchema() throws {
        let text =
            good.replacingOccurrences(
                of: "model = \"gemini-2.5-flash\"", with: "model = \"m\"\nfile_reuse_margin = \"30m\"\nrequest_timeout = 90")
            + "\n[prompt.tags]\nkind = \"json\"\ntext = \"tags\"\nschema = '{\"type\": \"array\"}'\n"
        let c = try ConfigLoader.parse(text: text, sourcePath: "t")
        #expect(c.api.fileReuseMargin == .seconds(1800))
        #expect(c.api.requestTimeout == .seconds(90))
        #expect(c.prompts["tags"]?.schemaJSON == "{\"type\": \"array\"}")
    }

    @Test func baseURLMustBeHTTPSUnlessTheHostIsLoopback() throws {
        func baseURL(_ url: String) -> String { good.replacingOccurrences(of: "http://127.0.0.1:9999", with: url) }
        for url in [
            "https://generativelanguage.googleapis.com", "https://proxy.example:8443", "http://127.0.0.1:8089",
            "http://127.8.9.10", "http://localhost:8089", "http://LOCALHOST", "http://[::1]:8089",
        ] {
            #expect(try ConfigLoader.parse(text: baseURL(url), sourcePath: "t").api.baseURL == url)
        }
        for url in ["http://generativelanguage.googleapis.com", "http://192.168.1.5:8089", "http://128.0.0.1", "http://[::2]"] {
            let e = errors(baseURL(url))
            #expect(e.count == 1, "\(url)")
            #expect(e.first?.line == 2, "\(url)")
            #expect(e.first?.message.contains("must use https://") == true, "\(url): \(e.first?.message ?? "")")
        }
        #expect(errors(baseURL("ftp://example.com")).first?.message.contains("must be an https:// URL") == true)
    }

    @Test func maxFileBytesDefaultsTo200MBAndIsRead() throws {
        #expect(try ConfigLoader.parse(text: good, sourcePath: "t").images.maxFileBytes == 200_000_000)
        let c = try ConfigLoader.parse(text: good + "\n[images]\nmax_file_bytes = 5000000000\n", sourcePath: "t")
        #expect(c.images.maxFileBytes == 5_000_000_000)
        #expect(c.effectiveDescription.contains("max_file_bytes = 5000000000"))
        #expect(errors(good + "\n[images]\nmax_file_bytes = 0\n").first?.message.contains("max_file_bytes") == true)
    }

    @Test func theExampleConfigurationIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/dropsight/dropsight.example.toml")
        let c = try ConfigLoader.load(path: example.path, environment: [:])
        #expect(!c.folders.isEmpty)
        #expect(c.effectiveDescription.contains("[prompt.caption]"))
    }
}
