import JSONModel

/// The order of the two numbers of a polygon point.
///
/// Google documents `[y, x]` for points, but polygons from Gemini 3.x and Robotics-ER have been
/// reported as `[x, y]` (discuss.ai.google.dev thread 146559), hence the choice.
public enum PointOrder: String, Sendable, Codable {
    /// `[y, x]`, like `box_2d`.
    case yx
    /// `[x, y]`.
    case xy
    /// Per item, whichever order puts more points inside the item's `box_2d`; `[y, x]` on a tie
    /// or when the item has no box.
    case auto
}

/// Reads polygon outlines from a reply item: `[[a, b], ...]`, flat `[a, b, a, b, ...]`,
/// `[{"x": .., "y": ..}, ...]`, or a list of such rings; coordinates on the 0-1000 grid.
enum PolygonReader {
    /// A point on the 0-1000 grid.
    struct GridPoint: Equatable {
        var x: Double
        var y: Double
    }

    /// Points further than this outside the grid are taken as garbage, not as geometry.
    static let coordinateLimit = 10_000.0

    /// The rings read in `order`, resolving `.auto` against `box`; `readAs` is the order used.
    static func rings(
        from value: JSONValue, order: PointOrder, fitting box: GridBox?, maxPoints: Int
    ) -> (rings: Result<[[GridPoint]], MaskProblem>, readAs: PointOrder) {
        guard order == .auto else {
            return (rings(from: value, order: order, maxPoints: maxPoints), order)
        }
        let yx = rings(from: value, order: .yx, maxPoints: maxPoints)
        guard let box, case .success(let yxRings) = yx,
            case .success(let xyRings) = rings(from: value, order: .xy, maxPoints: maxPoints),
            pointsInside(xyRings, box) > pointsInside(yxRings, box)
        else {
            return (yx, .yx)
        }
        return (.success(xyRings), .xy)
    }

    /// How many points lie in `box`, widened by 2% of the grid for models' loose outlines.
    private static func pointsInside(_ rings: [[GridPoint]], _ box: GridBox) -> Int {
        let margin = 20.0
        return rings.joined().filter { point in
            point.x >= box.xmin - margin && point.x <= box.xmax + margin
                && point.y >= box.ymin - margin && point.y <= box.ymax + margin
        }.count
    }

    /// The rings, or a reason they cannot be used.
    static func rings(
        from value: JSONValue, order: PointOrder, maxPoints: Int
    ) -> Result<[[GridPoint]], MaskProblem> {
        guard case .array(let elements) = value, !elements.isEmpty else {
            return .failure(MaskProblem("polygon is empty or not a list"))
        }
        let rings: [[GridPoint]]
        if let ring = ring(from: elements, order: order) {
            rings = [ring]
        } else {
            var nested: [[GridPoint]] = []
            for element in elements {
                guard case .array(let inner) = element, let ring = ring(from: inner, order: order) else {
                    return .failure(MaskProblem("polygon points are not [y, x] pairs or flat numbers"))
                }
                nested.append(ring)
            }
            rings = nested
        }
        let count = rings.reduce(0) { $0 + $1.count }
        guard count <= maxPoints else {
            return .failure(MaskProblem("polygon has \(count) points, more than the \(maxPoints) allowed"))
        }
        for point in rings.joined() {
            guard point.x.isFinite, point.y.isFinite,
                abs(point.x) <= coordinateLimit, abs(point.y) <= coordinateLimit
            else {
                return .failure(MaskProblem("polygon has a point that is not a finite number on the 0-1000 grid"))
            }
        }
        let usable = rings.filter { $0.count >= 3 }
        guard !usable.isEmpty else {
            return .failure(MaskProblem("polygon has fewer than 3 points"))
        }
        return .success(usable)
    }

    /// One ring from pairs, objects or flat numbers; nil when `elements` is none of these.
    private static func ring(from elements: [JSONValue], order: PointOrder) -> [GridPoint]? {
        let numbers = elements.compactMap(SpatialNumber.read)
        if numbers.count == elements.count {
            guard numbers.count.isMultiple(of: 2) else { return nil }
            return stride(from: 0, to: numbers.count, by: 2).map { point(numbers[$0], numbers[$0 + 1], order) }
        }
        var points: [GridPoint] = []
        for element in elements {
            switch element {
            case .array(let pair):
                guard pair.count == 2, let first = SpatialNumber.read(pair[0]), let second = SpatialNumber.read(pair[1])
                else { return nil }
                points.append(point(first, second, order))
            case .object:
                guard let x = element["x"].flatMap(SpatialNumber.read), let y = element["y"].flatMap(SpatialNumber.read)
                else { return nil }
                points.append(GridPoint(x: x, y: y))
            default:
                return nil
            }
        }
        return points
    }

    private static func point(_ first: Double, _ second: Double, _ order: PointOrder) -> GridPoint {
        order == .xy ? GridPoint(x: first, y: second) : GridPoint(x: second, y: first)
    }

    /// The grid box around the rings, clamped to the grid.
    static func bounds(of rings: [[GridPoint]]) -> GridBox {
        let points = rings.joined()
        func clamp(_ value: Double) -> Double { min(max(value, 0), 1000) }
        return GridBox(
            ymin: clamp(points.map(\.y).min() ?? 0), xmin: clamp(points.map(\.x).min() ?? 0),
            ymax: clamp(points.map(\.y).max() ?? 0), xmax: clamp(points.map(\.x).max() ?? 0))
    }
}

/// Why a mask could not be used; the message goes into the segment's note.
struct MaskProblem: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
