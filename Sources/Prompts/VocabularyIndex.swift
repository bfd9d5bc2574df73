/// The person's keywords, looked up case-insensitively by whole path (`Animals|Dog`) or by last level (`dog`).
struct VocabularyIndex {
    private var byPath: [String: String] = [:]
    /// Last level → the entry; an ambiguous level (two entries end in it) maps to nil.
    private var byLeaf: [String: String?] = [:]

    init(_ vocabulary: [String]) {
        for entry in vocabulary {
            guard let keyword = KeywordReader.normalized(entry) else { continue }
            let path = keyword.lowercased()
            if byPath[path] == nil { byPath[path] = keyword }
            let leaf = String(path.split(separator: "|").last ?? "")
            if let existing = byLeaf[leaf], existing != keyword { byLeaf[leaf] = .some(nil) } else { byLeaf[leaf] = keyword }
        }
    }

    /// The vocabulary's entry for `keyword`, nil when none (or its last level is ambiguous).
    func match(_ keyword: String) -> String? {
        let path = keyword.lowercased()
        if let entry = byPath[path] { return entry }
        let leaf = String(path.split(separator: "|").last ?? "")
        return byLeaf[leaf] ?? nil
    }
}
