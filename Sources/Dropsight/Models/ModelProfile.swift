import Foundation
import Imaging

/// What dropsight knows about one model: the rules a request must follow and what an image costs.
///
/// The facts and their sources are in `../shared/reference/gemini-api-2026.md` (§1 status, §2 thinking,
/// §3 image tokens, §4 segmentation); ``ModelCatalog`` holds them as data. Nothing else branches on
/// model names.
public struct ModelProfile: Sendable, Equatable {
    /// Where a model stands for a new user.
    public enum Status: Sendable, Equatable {
        case ga
        case preview
        /// Deprecated: requests are answered by another model, under that model's rules.
        case routed(to: String)
        /// 404 "no longer available to new users".
        case closedToNewUsers
        /// 404 "no longer available".
        case shutDown
        /// An alias that moves to newer models (`gemini-flash-latest`); answered by `of` today.
        case alias(of: String)
        /// Not in the catalogue: a profile guessed from the name.
        case unknown
    }

    /// How thinking is controlled.
    public enum Thinking: Sendable, Equatable {
        /// The model does not think.
        case none
        /// 2.x: `thinkingBudget` tokens in `range`; 0 stops thinking when `canStop`; -1 is automatic.
        case budget(range: ClosedRange<Int>, canStop: Bool)
        /// 3.x: `thinkingLevel`, one of `accepted`. Budget 0 is never relied on (refused or ignored).
        case levels(accepted: [ThinkingLevel], default: ThinkingLevel)
    }

    /// What one image costs in input tokens.
    public enum ImageCost: Sendable, Equatable {
        /// 258 per 768x768 tile, one tile when both sides are at most 384 px (the 2.0 rule and the seed page's).
        case tiles
        /// The same for any size (2.5): `default` at the default and HIGH (258 measured), and the documented
        /// `low` (64) and `medium` (256) counts when that media resolution is asked for.
        case flat(default: Int, low: Int, medium: Int)
        /// Fixed by media resolution (3.x): LOW 280, MEDIUM 560, HIGH 1120 (the default), ULTRA_HIGH 2240.
        case byMediaResolution
    }

    /// How segmentation masks come back.
    public enum Segmentation: Sendable, Equatable {
        /// Base64 PNG probability maps per box (2.5, the seed page).
        case pngMasks
        /// `[x, y]` polygons on the 0-1000 grid, asked for with a response schema (3.x, the newest docs).
        case polygons
    }

    /// Where `mediaResolution` goes.
    public enum MediaResolutionPlacement: Sendable, Equatable {
        case generationConfig
        /// On each image part (3.x in v1beta); allows `ultra_high`.
        case perPart
    }

    public var id: String
    public var status: Status
    public var thinking: Thinking
    public var imageCost: ImageCost
    public var segmentation: Segmentation
    public var mediaResolutionPlacement: MediaResolutionPlacement
    /// The announced shutdown date, `YYYY-MM-DD`, if any.
    public var shutdown: String?

    /// The thinking control to send for `setting` (nil: the prompt's default), or nil to send none.
    ///
    /// Never a level to a budget model, never a budget to a level model, never budget 0 or a refused
    /// level to a model that refuses it: the nearest accepted setting is sent instead. Spatial prompts
    /// (detect, segment) default to the lowest setting the model accepts, as Google advises.
    public func thinkingToSend(_ setting: ThinkingSetting?, spatial: Bool) -> SentThinking? {
        switch thinking {
        case .none:
            return nil
        case .budget(let range, let canStop):
            let lowest = canStop ? 0 : range.lowerBound
            switch setting ?? (spatial ? .off : nil) {
            case nil: return nil
            case .off: return .budget(lowest)
            case .level(let level): return .budget(Self.budget(for: level, range: range, lowest: lowest))
            case .budget(let n):
                if n == -1 { return .budget(-1) }
                if n == 0 { return .budget(lowest) }
                return .budget(min(max(n, range.lowerBound), range.upperBound))
            }
        case .levels(let accepted, _):
            let wanted: ThinkingLevel
            switch setting ?? (spatial ? .off : nil) {
            case nil: return nil
            case .off: wanted = .minimal
            case .level(let level): wanted = level
            case .budget(let n):
                if n == -1 { return nil }
                wanted = n == 0 ? .minimal : n <= 1024 ? .low : n <= 8192 ? .medium : .high
            }
            return .level(Self.nearest(wanted, in: accepted))
        }
    }

    /// The accepted level closest to `wanted`: itself, else the next one up, else the highest below.
    static func nearest(_ wanted: ThinkingLevel, in accepted: [ThinkingLevel]) -> ThinkingLevel {
        if accepted.contains(wanted) { return wanted }
        return accepted.sorted().first { $0 > wanted } ?? accepted.max() ?? wanted
    }

    /// A budget that stands for a level on a budget model.
    static func budget(for level: ThinkingLevel, range: ClosedRange<Int>, lowest: Int) -> Int {
        switch level {
        case .minimal: return lowest
        case .low: return min(max(1024, range.lowerBound), range.upperBound)
        case .medium: return min(max(8192, range.lowerBound), range.upperBound)
        case .high: return range.upperBound
        }
    }

    /// Estimated input tokens of one image of this size at `resolution` (nil: the model's default).
    public func imageTokens(width: Int, height: Int, resolution: MediaResolution?) -> Int {
        switch imageCost {
        case .tiles: return ImageTokens.estimate(width: width, height: height)
        case .flat(let n, let low, let medium):
            switch resolution {
            case .low: return low
            case .medium: return medium
            case .high, .ultraHigh, nil: return n
            }
        case .byMediaResolution:
            switch resolution {
            case .low: return 280
            case .medium: return 560
            case .high, nil: return 1120
            case .ultraHigh: return 2240
            }
        }
    }

    /// The longest side worth sending under `resolution = "auto"` when pixels do not change the token
    /// count, or nil when the tile rule decides (``ImageCost/tiles``).
    ///
    /// Assumed, not documented: the model scales each image to a fixed budget of detail per level, so
    /// more pixels than these cost bytes and time and add nothing. `[api] auto_max_side` overrides them.
    public func autoMaxSide(_ resolution: MediaResolution?, caps: AutoSideCaps) -> Int? {
        switch imageCost {
        case .tiles: return nil
        case .flat: return caps.high
        case .byMediaResolution:
            switch resolution {
            case .low: return caps.low
            case .medium: return caps.medium
            case .high, nil: return caps.high
            case .ultraHigh: return caps.ultraHigh
            }
        }
    }

    /// A sentence for `config check` and the journal when the model is not one to use, else nil.
    public var warning: String? {
        switch status {
        case .ga, .preview: return nil
        case .routed(let target):
            return "model \(id) is deprecated: requests are answered by \(target), under its rules; configure \(target)"
        case .closedToNewUsers:
            return "model \(id) is closed to new users (404 \"no longer available to new users\"); configure \(ModelCatalog.defaultModel)"
        case .shutDown: return "model \(id) is shut down (404 \"no longer available\"); configure \(ModelCatalog.defaultModel)"
        case .alias(let target):
            return "model \(id) is an alias that moves to newer models (today \(target)); configure an explicit id such as \(target)"
        case .unknown: return "model \(id) is not in dropsight's model profiles; its rules are guessed from its name"
        }
    }
}
