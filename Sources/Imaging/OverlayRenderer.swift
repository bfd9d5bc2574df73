import CVips

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Draws detection boxes, labels and segmentation masks over a picture, as PNG.
///
/// Blocking CPU and disk work: call from a dedicated thread or serial queue (see `ImagingQueue`).
public enum OverlayRenderer {
    /// Opacity of mask tints.
    public static let maskOpacity = 0.4
    /// PNG compression of overlays (0-9) and libpng's row filter, chosen by measurement on a 1024x768 photo
    /// overlay (libvips 8.14): level 1 with the "average" filter encodes in about 40 ms to 1.44 MB, where
    /// level 2 without a filter (the earlier setting) took about 50 ms for 1.54 MB and level 6 with the
    /// adaptive filter about 220 ms for 1.25 MB.
    public static let pngCompression: Int32 = 1
    static let pngFilter = VIPS_FOREIGN_PNG_FILTER_AVG

    /// The upright picture at `imagePath`, long side at most `maxSide`, with `masks`, then `boxes` and
    /// their labels drawn over it; encoded as PNG. With `layer`, the same drawing on a transparent RGBA PNG of
    /// that size, without decoding the picture.
    public static func render(
        imagePath: String, maxSide: Int = 1024, layer: Bool = false, boxes: [OverlayBox], masks: [OverlayMask],
        maxPixels: Int = Imaging.defaultMaxPixels
    ) throws -> Data {
        let base =
            layer
            ? try OverlayBase.layer(imagePath: imagePath, maxSide: maxSide, maxPixels: maxPixels)
            : try OverlayBase.picture(imagePath: imagePath, maxSide: maxSide, maxPixels: maxPixels)
        return try render(on: base, boxes: boxes, masks: masks)
    }

    /// `masks`, then `boxes` and their labels, drawn on `base` (a picture, or a transparent layer); encoded as PNG.
    ///
    /// Box and mask coordinates are pixels of the upright original; they are scaled with the picture.
    public static func render(on base: OverlayBase, boxes: [OverlayBox], masks: [OverlayMask]) throws -> Data {
        var canvas = base.picture.map(OverlayCanvas.init) ?? OverlayCanvas(layerWidth: base.width, height: base.height)
        let mapping = Mapping(
            scaleX: Double(base.width) / Double(base.uprightWidth), scaleY: Double(base.height) / Double(base.uprightHeight))
        let longSide = max(base.width, base.height)
        let thickness = longSide >= 1000 ? 3 : 2

        for item in masks where item.mask.width > 0 && item.mask.height > 0 {
            let rect = mapping.rect(x: item.x, y: item.y, width: item.mask.width, height: item.mask.height)
            let scaled = MaskResampler.resizeAndThreshold(item.mask, toWidth: rect.width, height: rect.height, threshold: 127.5)
            canvas.tint(
                mask: scaled, x: rect.x, y: rect.y, color: OverlayPalette.color(item.colorIndex),
                opacity: maskOpacity, outline: thickness - 1)
        }
        for box in boxes {
            let rect = mapping.rect(x: box.x, y: box.y, width: box.width, height: box.height)
            canvas.stroke(
                x: rect.x, y: rect.y, width: rect.width, height: rect.height, thickness: thickness,
                color: OverlayPalette.color(box.colorIndex))
        }
        let fontSize = max(12, min(28, longSide / 90))
        for box in boxes {
            let rect = mapping.rect(x: box.x, y: box.y, width: box.width, height: box.height)
            drawLabel(box.label, for: rect, color: OverlayPalette.color(box.colorIndex), fontSize: fontSize, on: &canvas)
        }

        let output = try VipsPixels.image(from: canvas.image)
        return Data(
            try VipsPixels.encode(
                output, format: .png, quality: 100, keepMetadata: false,
                pngCompression: pngCompression, pngFilter: pngFilter))
    }

    /// Puts the label on a filled strip of the box colour: above the box, or inside it at the top edge.
    private static func drawLabel(_ label: String, for rect: Mapping.Rect, color: [UInt8], fontSize: Int, on canvas: inout OverlayCanvas) {
        guard let text = LabelRenderer.render(label, pixelSize: fontSize) else { return }
        let padding = max(2, fontSize / 5)
        let stripWidth = min(canvas.width, text.width + 2 * padding)
        let stripHeight = text.height + 2 * padding
        let x = max(0, min(rect.x, canvas.width - stripWidth))
        let y = rect.y - stripHeight >= 0 ? rect.y - stripHeight : max(0, min(rect.y, canvas.height - stripHeight))
        canvas.fill(x: x, y: y, width: stripWidth, height: stripHeight, color: color)
        canvas.paint(coverage: text, x: x + padding, y: y + padding, color: OverlayPalette.textColor(on: color))
    }

    /// Maps rectangles of the upright original onto the drawn picture.
    private struct Mapping {
        struct Rect {
            var x, y, width, height: Int
        }

        let scaleX: Double
        let scaleY: Double

        /// Scales both corners, so adjacent rectangles stay adjacent; at least 1 px each way.
        func rect(x: Int, y: Int, width: Int, height: Int) -> Rect {
            let left = Int((Double(x) * scaleX).rounded())
            let top = Int((Double(y) * scaleY).rounded())
            let right = Int((Double(x + width) * scaleX).rounded())
            let bottom = Int((Double(y + height) * scaleY).rounded())
            return Rect(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top))
        }
    }
}
