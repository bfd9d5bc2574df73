import Imaging

extension DetectionParse {
    /// The boxes to draw with `OverlayRenderer`, coloured by position in the reply.
    public var overlayBoxes: [OverlayBox] {
        detections.enumerated().map { index, detection in detection.overlayBox(colorIndex: index) }
    }
}

extension SegmentParse {
    /// The segments' boxes to draw, each in the colour of its mask.
    public var overlayBoxes: [OverlayBox] {
        segments.enumerated().map { index, segment in segment.detection.overlayBox(colorIndex: index) }
    }

    /// The decoded masks to tint, placed at their boxes, in their boxes' colours.
    public var overlayMasks: [OverlayMask] {
        masks.keys.sorted().compactMap { index in
            guard let mask = masks[index] else { return nil }
            let box = segments[index].detection.box
            return OverlayMask(x: box.x, y: box.y, mask: mask.pixelImage, colorIndex: index)
        }
    }
}

extension Detection {
    func overlayBox(colorIndex: Int) -> OverlayBox {
        OverlayBox(x: box.x, y: box.y, width: box.width, height: box.height, label: label, colorIndex: colorIndex)
    }
}

extension MaskBitmap {
    /// The mask as a one-band image (0 outside, 255 inside), e.g. to encode as PNG with `ImageCodec`.
    public var pixelImage: PixelImage {
        PixelImage(width: width, height: height, bands: 1, pixels: pixels)
    }
}
