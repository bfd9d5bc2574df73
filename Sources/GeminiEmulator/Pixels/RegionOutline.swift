/// The outer outline of an object's region as Gemini 3.x writes segmentation masks: a polygon
/// of `[x, y]` points on the whole image's 0-1000 grid, x first, inside the object's `box_2d`.
///
/// The outline runs along the cell edges of the analysis grid (so a square gives its four
/// corners and a plus sign its twelve), clockwise from the top-left corner of the region's
/// first cell, keeping diagonal neighbours joined as the 8-connected regions are; holes are
/// not traced. It is then thinned with Douglas-Peucker to within `tolerance` grid units.
enum RegionOutline {
    static let tolerance = 3.0

    static func points(of object: SceneObject, in scene: SceneAnalysis) -> [(x: Int, y: Int)] {
        let corners = trace(object.region, in: scene)
        let scaled = corners.map { corner in
            (
                Double(min(scene.width, corner.x * scene.stride)) * 1000 / Double(scene.width),
                Double(min(scene.height, corner.y * scene.stride)) * 1000 / Double(scene.height)
            )
        }
        let box = object.box2d(width: scene.width, height: scene.height)
        var out: [(x: Int, y: Int)] = []
        for point in simplify(scaled) {
            let x = min(box[3], max(box[1], Int(point.0.rounded())))
            let y = min(box[2], max(box[0], Int(point.1.rounded())))
            if let last = out.last, last == (x, y) { continue }
            out.append((x, y))
        }
        if out.count > 1, let first = out.first, let last = out.last, first == last { out.removeLast() }
        return out
    }

    /// Grid-lattice corners where the outline of `region` turns, walking with the region on
    /// the right-hand side.
    static func trace(_ region: Int32, in scene: SceneAnalysis) -> [(x: Int, y: Int)] {
        let width = scene.gridWidth
        let height = scene.gridHeight
        guard let first = scene.regionGrid.firstIndex(of: region) else { return [] }
        func inside(_ x: Int, _ y: Int) -> Bool {
            x >= 0 && y >= 0 && x < width && y < height && scene.regionGrid[y * width + x] == region
        }
        let start = (x: first % width, y: first / width)
        var position = start
        var direction = (x: 1, y: 0)
        var corners = [start]
        for _ in 0..<(4 * width * height + 4) {
            position = (position.x + direction.x, position.y + direction.y)
            if position == start { break }
            let left = (x: direction.y, y: -direction.x)
            let right = (x: -direction.y, y: direction.x)
            // The cell ahead on either side of the edge just walked.
            func cellAhead(_ side: (x: Int, y: Int)) -> Bool {
                let quadrant = (x: direction.x + side.x, y: direction.y + side.y)
                return inside(quadrant.x > 0 ? position.x : position.x - 1, quadrant.y > 0 ? position.y : position.y - 1)
            }
            let turn = cellAhead(left) ? left : (cellAhead(right) ? direction : right)
            if turn != direction {
                corners.append(position)
                direction = turn
            }
        }
        return corners
    }

    /// Douglas-Peucker on a closed ring: split at the point farthest from the first, thin both halves.
    static func simplify(_ ring: [(Double, Double)]) -> [(Double, Double)] {
        guard ring.count > 4 else { return ring }
        let far = ring.indices.max { distance(ring[0], ring[$0]) < distance(ring[0], ring[$1]) } ?? 0
        var keep = [Bool](repeating: false, count: ring.count + 1)
        let closed = ring + [ring[0]]
        keep[0] = true
        keep[far] = true
        keep[ring.count] = true
        var spans = [(0, far), (far, ring.count)]
        while let (from, to) = spans.popLast() {
            guard to > from + 1 else { continue }
            var worst = from
            var worstDistance = 0.0
            for index in (from + 1)..<to {
                let d = segmentDistance(closed[index], closed[from], closed[to])
                if d > worstDistance {
                    worst = index
                    worstDistance = d
                }
            }
            if worstDistance > tolerance {
                keep[worst] = true
                spans += [(from, worst), (worst, to)]
            }
        }
        return ring.indices.filter { keep[$0] }.map { ring[$0] }
    }

    private static func distance(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
        ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot()
    }

    /// Distance from `p` to the segment `a`-`b`.
    private static func segmentDistance(_ p: (Double, Double), _ a: (Double, Double), _ b: (Double, Double)) -> Double {
        let dx = b.0 - a.0
        let dy = b.1 - a.1
        let length = dx * dx + dy * dy
        guard length > 0 else { return distance(p, a) }
        let t = max(0, min(1, ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length))
        return distance(p, (a.0 + t * dx, a.1 + t * dy))
    }
}
