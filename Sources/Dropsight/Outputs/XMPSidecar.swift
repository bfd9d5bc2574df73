import Foundation
import XMP

/// The XMP sidecar photo tools read (`IMG.jpg.xmp` or `IMG.xmp`), written from the same results as the
/// JSON sidecar whenever that is written, and merged into what is already there (``XMPMerge``).
enum XMPSidecar {
    /// The largest existing XMP sidecar read; a bigger one is not XMP dropsight should merge into.
    static let maxBytes = 16 << 20

    /// Merges `sidecar`'s keywords and marked texts into the XMP sidecar and writes it atomically.
    ///
    /// Throws ``XMPError`` when the file there is not readable XMP (it is then left as it is), and the
    /// write's error when the disk refuses it.
    static func write(_ sidecar: Sidecar, prompts: [String: PromptSettings], location: OutputLocation) throws {
        guard let name = location.xmpName else { return }
        let merged = try XMPMerge.merged(
            existing: try existing(name, in: location.output), contribution: contribution(sidecar, prompts: prompts))
        try location.output.write(merged, name: name)
    }

    /// What the results give photo tools: every `keywords` result's keywords (prompts in name order,
    /// repeats dropped) and the answers of the prompts marked `xmp = "description"`, `"title"`, `"alt_text"`.
    static func contribution(_ sidecar: Sidecar, prompts: [String: PromptSettings]) -> XMPContribution {
        var contribution = XMPContribution()
        for (name, result) in sidecar.prompts.sorted(by: { $0.key < $1.key }) where result.status == .ok {
            contribution.keywords += result.keywords ?? []
            let text = result.text?.trimmingCharacters(in: .whitespacesAndNewlines)
            switch prompts[name]?.xmp {
            case .description?: contribution.description = contribution.description ?? text
            case .title?: contribution.title = contribution.title ?? text
            case .altText?: contribution.altText = contribution.altText ?? text
            case nil: break
            }
        }
        contribution.keywords = XMPContribution.unique(contribution.keywords)
        return contribution
    }

    /// The XMP sidecar's bytes, nil when there is none; a symlink or FIFO planted there is not followed or
    /// waited on (the write then replaces it).
    private static func existing(_ name: String, in output: SafeOutput) throws -> Data? {
        do {
            return try output.read(name: name, limit: maxBytes)
        } catch  where error.errno == EFBIG {
            throw XMPError(operation: "read (larger than 16 MB)", code: 0)
        }
    }
}
