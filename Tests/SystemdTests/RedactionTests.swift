import Testing

@testable import Systemd

@Suite("Redaction")
struct RedactionTests {
    @Test("every occurrence of every secret is replaced")
    func replacesAll() {
        let text = "key=abc123secret again abc123secret and tok-9"
        #expect(
            Redaction.redact(text, secrets: ["abc123secret", "tok-9"])
                == "key=[REDACTED] again [REDACTED] and [REDACTED]")
    }

    @Test("empty secrets and text without secrets are left alone")
    func leavesOtherTextAlone() {
        #expect(Redaction.redact("nothing here", secrets: ["", "absent"]) == "nothing here")
    }

    @Test("the shared registry applies secrets registered later")
    func registryGrows() {
        let registry = SecretRegistry()
        #expect(registry.redact("k1 k2") == "k1 k2")
        registry.register("k1")
        registry.register("k1")
        registry.register("")
        #expect(registry.redact("k1 k2") == "[REDACTED] k2")
        registry.register("k2")
        #expect(registry.redact("k1 k2") == "[REDACTED] [REDACTED]")
    }
}
