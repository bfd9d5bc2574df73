import Foundation
import Imaging

/// Decodes and analyses prompt images with libvips on its own queue (vips calls and pixel
/// loops block, so they stay off Swift's cooperative pool).
actor ImageWorker {
    private let executor = QueueExecutor(label: "gemini-emulator.pixels")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The scene in `data` (stored pixels, EXIF orientation ignored); nil when not a decodable image.
    func analyse(_ data: Data) -> SceneAnalysis? {
        guard let image = try? ImageCodec.decode(data) else { return nil }
        return SceneAnalysis(image)
    }

    func mask(for object: SceneObject, in scene: SceneAnalysis, form: EmulatorConfiguration.MaskForm) throws -> WireJSON {
        try MaskEncoder().mask(for: object, in: scene, form: form)
    }

    func outline(of object: SceneObject, in scene: SceneAnalysis) -> [(x: Int, y: Int)] {
        RegionOutline.points(of: object, in: scene)
    }
}
