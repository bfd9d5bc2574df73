import Imaging

/// One object found in an image: a connected region that differs from the background.
struct SceneObject: Sendable, Equatable {
    /// `"red square"` when the region fills its bounding box, else `"red object"`.
    var label: String
    var colorName: String
    /// Inclusive pixel bounds in the stored image.
    var minX: Int
    var minY: Int
    var maxX: Int
    var maxY: Int
    /// Region size in analysis-grid cells.
    var area: Int
    /// The region's number in `SceneAnalysis.regionGrid`.
    var region: Int32

    /// `[ymin, xmin, ymax, xmax]` on the 0-1000 grid, y first; the max edges are exclusive.
    func box2d(width: Int, height: Int) -> [Int] {
        func scaleDown(_ v: Int, _ size: Int) -> Int { min(1000, v * 1000 / size) }
        func scaleUp(_ v: Int, _ size: Int) -> Int { min(1000, (v * 1000 + size - 1) / size) }
        return [scaleDown(minY, height), scaleDown(minX, width), scaleUp(maxY + 1, height), scaleUp(maxX + 1, width)]
    }

    /// Where the object's centre sits: "top left", "center", "bottom right", ...
    func position(width: Int, height: Int) -> String {
        let cx = Double(minX + maxX + 1) / 2 / Double(width)
        let cy = Double(minY + maxY + 1) / 2 / Double(height)
        let vertical = cy < 1.0 / 3 ? "top" : (cy < 2.0 / 3 ? "middle" : "bottom")
        let horizontal = cx < 1.0 / 3 ? "left" : (cx < 2.0 / 3 ? "center" : "right")
        if vertical == "middle" && horizontal == "center" { return "center" }
        if vertical == "middle" { return horizontal == "left" ? "middle left" : "middle right" }
        return "\(vertical) \(horizontal)"
    }
}

/// What the emulator "sees" in an image: its size, background colour and objects.
///
/// The background is the dominant border colour; objects are 8-connected regions whose
/// colour differs from it by more than `tolerance` on some channel; specks smaller than
/// 1/4000 of the image (at least 4 cells) are ignored. Large images are analysed on a
/// grid of at most `maxGridSide` cells per side; box edges are then refined on the full-size pixels.
struct SceneAnalysis: Sendable {
    let width: Int
    let height: Int
    let backgroundName: String
    let objects: [SceneObject]
    /// Region number per grid cell, -1 for background.
    let regionGrid: [Int32]
    let gridWidth: Int
    let gridHeight: Int
    let stride: Int

    static let tolerance = 48
    static let maxGridSide = 1000
    static let maxObjects = 25

    init(_ raster: PixelImage) {
        width = raster.width
        height = raster.height
        stride = max(1, (max(raster.width, raster.height) + Self.maxGridSide - 1) / Self.maxGridSide)
        gridWidth = (raster.width + stride - 1) / stride
        gridHeight = (raster.height + stride - 1) / stride
        let gw = gridWidth
        let gh = gridHeight
        let step = stride

        var colors = [(Int, Int, Int)](repeating: (0, 0, 0), count: gw * gh)
        for gy in 0..<gh {
            for gx in 0..<gw {
                colors[gy * gw + gx] = raster.rgb(x: gx * step, y: gy * step)
            }
        }
        let background = Self.dominantBorderColor(colors, width: gw, height: gh)
        backgroundName = ColorName.name(red: background.0, green: background.1, blue: background.2)

        var foreground = [Bool](repeating: false, count: gw * gh)
        for index in colors.indices {
            let c = colors[index]
            let diff = max(abs(c.0 - background.0), abs(c.1 - background.1), abs(c.2 - background.2))
            foreground[index] = diff > Self.tolerance
        }

        var grid = [Int32](repeating: -1, count: gw * gh)
        var found: [SceneObject] = []
        let minArea = max(4, gw * gh / 4000)
        var stack: [Int] = []
        var nextRegion: Int32 = 0
        for start in 0..<(gw * gh) where foreground[start] && grid[start] == -1 {
            let region = nextRegion
            nextRegion += 1
            grid[start] = region
            stack.append(start)
            var area = 0
            var minX = gw
            var minY = gh
            var maxX = 0
            var maxY = 0
            var sumR = 0
            var sumG = 0
            var sumB = 0
            while let cell = stack.popLast() {
                let x = cell % gw
                let y = cell / gw
                area += 1
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
                let c = colors[cell]
                sumR += c.0
                sumG += c.1
                sumB += c.2
                for dy in -1...1 {
                    let ny = y + dy
                    guard ny >= 0, ny < gh else { continue }
                    for dx in -1...1 {
                        let nx = x + dx
                        guard nx >= 0, nx < gw else { continue }
                        let neighbour = ny * gw + nx
                        if foreground[neighbour] && grid[neighbour] == -1 {
                            grid[neighbour] = region
                            stack.append(neighbour)
                        }
                    }
                }
            }
            guard area >= minArea else { continue }
            let colorName = ColorName.name(red: sumR / area, green: sumG / area, blue: sumB / area)
            let boxCells = (maxX - minX + 1) * (maxY - minY + 1)
            let shape = Double(area) >= 0.95 * Double(boxCells) ? "square" : "object"
            var object = SceneObject(
                label: "\(colorName) \(shape)", colorName: colorName,
                minX: minX * step, minY: minY * step,
                maxX: min(raster.width - 1, maxX * step + step - 1),
                maxY: min(raster.height - 1, maxY * step + step - 1),
                area: area, region: region
            )
            if step > 1 { Self.refineEdges(&object, in: raster, step: step, background: background) }
            found.append(object)
        }
        let kept = found.sorted { $0.area > $1.area }.prefix(Self.maxObjects)
        objects = kept.sorted { ($0.minY, $0.minX) < ($1.minY, $1.minX) }
        regionGrid = grid
    }

    /// Moves the box edges, found on the coarse grid, to the outermost full-resolution
    /// pixels that differ from the background within one grid step of them.
    private static func refineEdges(_ object: inout SceneObject, in image: PixelImage, step: Int, background: (Int, Int, Int)) {
        func differs(_ x: Int, _ y: Int) -> Bool {
            let c = image.rgb(x: x, y: y)
            return max(abs(c.0 - background.0), abs(c.1 - background.1), abs(c.2 - background.2)) > tolerance
        }
        let gridMinX = object.minX
        let gridMinY = object.minY
        let gridMaxX = object.maxX - (object.maxX % step)
        let gridMaxY = object.maxY - (object.maxY % step)
        let rows = max(0, gridMinY - step + 1)...object.maxY
        if let x = (max(0, gridMinX - step + 1)...gridMinX).first(where: { x in rows.contains { differs(x, $0) } }) {
            object.minX = x
        }
        if let x = (gridMaxX...object.maxX).reversed().first(where: { x in rows.contains { differs(x, $0) } }) {
            object.maxX = x
        }
        let columns = object.minX...object.maxX
        if let y = (max(0, gridMinY - step + 1)...gridMinY).first(where: { y in columns.contains { differs($0, y) } }) {
            object.minY = y
        }
        if let y = (gridMaxY...object.maxY).reversed().first(where: { y in columns.contains { differs($0, y) } }) {
            object.maxY = y
        }
    }

    /// Whether pixel (x, y) of the stored image belongs to `object`.
    func contains(_ object: SceneObject, x: Int, y: Int) -> Bool {
        let gx = min(gridWidth - 1, max(0, x / stride))
        let gy = min(gridHeight - 1, max(0, y / stride))
        return regionGrid[gy * gridWidth + gx] == object.region
    }

    /// The most common colour on the image border (colours bucketed to 32 levels per channel).
    private static func dominantBorderColor(_ colors: [(Int, Int, Int)], width: Int, height: Int) -> (Int, Int, Int) {
        var counts: [Int: (count: Int, r: Int, g: Int, b: Int)] = [:]
        func add(_ index: Int) {
            let c = colors[index]
            let key = (c.0 >> 3) << 10 | (c.1 >> 3) << 5 | (c.2 >> 3)
            var entry = counts[key] ?? (0, 0, 0, 0)
            entry.count += 1
            entry.r += c.0
            entry.g += c.1
            entry.b += c.2
            counts[key] = entry
        }
        for x in 0..<width {
            add(x)
            if height > 1 { add((height - 1) * width + x) }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                add(y * width)
                if width > 1 { add(y * width + width - 1) }
            }
        }
        guard let best = counts.values.max(by: { $0.count < $1.count }) else { return (255, 255, 255) }
        return (best.r / best.count, best.g / best.count, best.b / best.count)
    }
}
