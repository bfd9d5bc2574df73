import Imaging
import Prompts

extension ModelProfile {
    /// The size to prepare an image at for `prompt`: under `resolution = "auto"`, a long-side cap on models
    /// whose image cost does not grow with pixels (``autoMaxSide(_:caps:)``), else the prompt's own setting.
    public func sendResolution(for prompt: PromptSettings, caps: AutoSideCaps) -> ResolutionSetting {
        guard prompt.resolution == .auto, let side = autoMaxSide(prompt.mediaResolution, caps: caps) else { return prompt.resolution }
        return .maxSide(side)
    }

    /// How polygon mask points are ordered in replies: `[x, y]` where the newest docs ask for polygons (3.x),
    /// `[y, x]` like `box_2d` otherwise.
    var polygonPointOrder: PointOrder { segmentation == .polygons ? .xy : .yx }
}
