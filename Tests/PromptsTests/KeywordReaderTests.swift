import Testing

@testable import Prompts

@Suite struct KeywordReaderTests {
    private let twenty = KeywordRules(maxKeywords: 20)

    @Test func fencedArrayWithProseIsTrimmedAndDeduplicated() {
        let reply = "Here you go:\n```json\n[\" dog \", \"Dog\", \"Animals | Pets |Cat\", \"\", \"grass\"]\n```\nEnjoy!"
        let read = KeywordReader.read(text: reply, rules: twenty)
        #expect(read.keywords == ["dog", "Animals|Pets|Cat", "grass"])
        #expect(read.notes == ["text around the JSON was ignored"])
    }

    @Test func cutOffReplyKeepsTheCompleteStrings() {
        let read = KeywordReader.read(text: "[\"dog\", \"cat\", \"gra", rules: twenty)
        #expect(read.keywords == ["dog", "cat"])
        #expect(read.notes.contains { $0.contains("cut off") })
    }

    @Test func objectsAndPlainListsAreRead() {
        #expect(KeywordReader.read(text: #"{"keywords": ["sea", {"keyword": "boat"}]}"#, rules: twenty).keywords == ["sea", "boat"])
        let list = KeywordReader.read(text: "1. sea\n2. boat\n- sky, sun", rules: twenty)
        #expect(list.keywords == ["sea", "boat", "sky", "sun"])
    }

    @Test func capKeepsTheFirstKeywordsWithANote() {
        let read = KeywordReader.read(text: #"["a", "b", "c", "d"]"#, rules: KeywordRules(maxKeywords: 2))
        #expect(read.keywords == ["a", "b"])
        #expect(read.notes == ["2 keyword(s) beyond max_keywords = 2 were dropped"])
    }

    @Test func vocabularySpellingIsPreferredAndCanRestrict() {
        let vocabulary = ["Animals|Dog", "Beach"]
        let reply = #"["dog", "beach", "sunset"]"#
        #expect(
            KeywordReader.read(text: reply, rules: KeywordRules(maxKeywords: 20, vocabulary: vocabulary)).keywords == [
                "Animals|Dog", "Beach", "sunset",
            ])
        let only = KeywordReader.read(text: reply, rules: KeywordRules(maxKeywords: 20, vocabulary: vocabulary, vocabularyOnly: true))
        #expect(only.keywords == ["Animals|Dog", "Beach"])
        #expect(only.notes == ["1 keyword(s) outside the vocabulary were dropped (vocabulary_only)"])
    }
}
