import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// A picture with coloured shapes at known places, as a person sees it (upright).
struct VisionScene {
    struct Shape {
        /// The colour word the emulator names the shape by.
        var color: String
        var rgb: [UInt8]
        /// Bounding rectangle in upright pixels.
        var x, y, width, height: Int
        /// A disc inscribed in the rectangle instead of the rectangle itself.
        var round: Bool

        func contains(_ px: Int, _ py: Int) -> Bool {
            guard px >= x, px < x + width, py >= y, py < y + height else { return false }
            guard round else { return true }
            let dx = (Double(px) + 0.5 - Double(x) - Double(width) / 2) / (Double(width) / 2)
            let dy = (Double(py) + 0.5 - Double(y) - Double(height) / 2) / (Double(height) / 2)
            return dx * dx + dy * dy <= 1
        }
    }

    var width = 640
    var height = 480
    var shapes: [Shape] = [
        Shape(color: "red", rgb: [220, 30, 30], x: 64, y: 200, width: 176, height: 112, round: false),
        Shape(color: "blue", rgb: [30, 60, 220], x: 384, y: 288, width: 192, height: 144, round: false),
        Shape(color: "green", rgb: [30, 180, 60], x: 400, y: 40, width: 150, height: 150, round: true),
    ]

    /// The upright picture: white with the shapes.
    var upright: PixelImage {
        var image = PixelImage(width: width, height: height, bands: 3, fill: 255)
        for shape in shapes {
            for py in shape.y..<(shape.y + shape.height) {
                for px in shape.x..<(shape.x + shape.width) where shape.contains(px, py) {
                    image.setPixel(x: px, y: py, shape.rgb)
                }
            }
        }
        return image
    }

    func shape(_ color: String) -> Shape? { shapes.first { $0.color == color } }
}

/// Turns pixels so that a viewer applying EXIF `orientation` shows the original upright.
enum Orientation {
    static func stored(_ upright: PixelImage, orientation: Int) -> PixelImage {
        let w = upright.width
        let h = upright.height
        switch orientation {
        case 3: return remap(upright, width: w, height: h) { x, y in (w - 1 - x, h - 1 - y) }
        // 6: viewers turn the stored picture 90° clockwise, so it is stored turned counter-clockwise.
        case 6: return remap(upright, width: h, height: w) { x, y in (y, w - 1 - x) }
        // 8: viewers turn it 90° counter-clockwise, so it is stored turned clockwise.
        case 8: return remap(upright, width: h, height: w) { x, y in (h - 1 - y, x) }
        default: return upright
        }
    }

    /// Moves each upright pixel (x, y) to `place(x, y)` in a `width` x `height` picture.
    private static func remap(_ source: PixelImage, width: Int, height: Int, place: (Int, Int) -> (Int, Int)) -> PixelImage {
        var out = PixelImage(width: width, height: height, bands: source.bands)
        for y in 0..<source.height {
            for x in 0..<source.width {
                let (tx, ty) = place(x, y)
                out.setPixel(x: tx, y: ty, source.pixel(x: x, y: y))
            }
        }
        return out
    }
}

/// Geometry checks on sidecar boxes and masks.
enum Overlap {
    static func iou(_ a: (x: Int, y: Int, width: Int, height: Int), _ b: (x: Int, y: Int, width: Int, height: Int)) -> Double {
        let left = max(a.x, b.x)
        let top = max(a.y, b.y)
        let right = min(a.x + a.width, b.x + b.width)
        let bottom = min(a.y + a.height, b.y + b.height)
        let inter = max(0, right - left) * max(0, bottom - top)
        let union = a.width * a.height + b.width * b.height - inter
        return union > 0 ? Double(inter) / Double(union) : 0
    }

    /// IoU of a box-sized binary mask placed at (x, y) with a shape, over the whole picture.
    static func maskIoU(mask: PixelImage, x originX: Int, y originY: Int, shape: VisionScene.Shape, width: Int, height: Int) -> Double {
        var inter = 0
        var union = 0
        for py in 0..<height {
            for px in 0..<width {
                let mx = px - originX
                let my = py - originY
                let inMask = mx >= 0 && my >= 0 && mx < mask.width && my < mask.height && mask[mx, my] != 0
                let inShape = shape.contains(px, py)
                if inMask && inShape { inter += 1 }
                if inMask || inShape { union += 1 }
            }
        }
        return union > 0 ? Double(inter) / Double(union) : 0
    }
}

/// Files placed as a copy tool would: a hidden temporary renamed into the folder.
enum Drop {
    @discardableResult
    static func file(_ data: Data, named name: String, in folder: String) throws -> String {
        let temp = folder + "/.incoming-" + name
        try data.write(to: URL(fileURLWithPath: temp))
        let final = folder + "/" + name
        #expect(rename(temp, final) == 0)
        return final
    }
}

/// Validates sidecars against `docs/sidecar.schema.json` with Python's `jsonschema` (draft 2020-12).
///
/// `pip install jsonschema` provides it; the failure message says so when it is missing.
enum SidecarSchema {
    /// `docs/sidecar.schema.json` of this repository (an error saying where it looked when it is missing:
    /// a missing schema must not pass for a sidecar the schema refuses).
    static func schemaPath() throws -> String {
        try RepositoryFiles.locate("docs/sidecar.schema.json").path
    }

    private static let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("python3 has no jsonschema module: pip install jsonschema"); sys.exit(3)
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        bad = 0
        for path in sys.argv[2:]:
            for error in validator.iter_errors(json.load(open(path))):
                print(f"{path}: {error.json_path}: {error.message}"[:400]); bad += 1
        sys.exit(1 if bad else 0)
        """

    /// Every violation found in the files (empty when all are valid).
    static func violations(in paths: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, try schemaPath()] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        if process.terminationStatus != 0 && lines.isEmpty { return ["validator exited \(process.terminationStatus)"] }
        return process.terminationStatus == 0 ? [] : lines
    }

    /// Every sidecar below `folder`, recursively.
    static func sidecars(below folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(OutputNames.sidecarSuffix) }.map { folder + "/" + $0 }.sorted()
    }

    /// Expects every sidecar below `folder` to validate, and at least `atLeast` of them to exist.
    static func expectValid(below folder: String, atLeast: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let files = sidecars(below: folder)
        #expect(files.count >= atLeast, "expected at least \(atLeast) sidecars below \(folder)", sourceLocation: sourceLocation)
        let problems = try violations(in: files)
        #expect(
            problems.isEmpty, "sidecars do not match docs/sidecar.schema.json:\n\(problems.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }
}

/// A running daemon for one test, stopped when the body returns.
enum DaemonRun {
    static func with<T: Sendable>(_ h: Harness, _ body: @Sendable @escaping () async throws -> T) async throws -> T {
        let notifier = RecordingNotifier()
        let daemon = Daemon(runtime: try h.runtime(), configPath: h.configPath, environment: h.environment, notifier: notifier)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await daemon.run() }
            // A daemon that ends (or hangs) before READY fails the test instead of holding it forever;
            // leaving the group by a throw cancels the daemon.
            let deadline = Date().addingTimeInterval(60)
            while !notifier.all.contains("READY=1") {
                if Date() > deadline { throw TestFailure("the daemon did not report READY within 60 s") }
                try await Task.sleep(for: .milliseconds(50))
            }
            let value = try await body()
            group.cancelAll()
            return value
        }
    }
}
