import Foundation

/// Decodes and analyses prompt images on its own queue (libvips and pixel loops block).
actor ImageWorker {
    private let executor = QueueExecutor(label: "gemini-emulator.pixels")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    let codec: any PixelCodec

    init(codec: any PixelCodec) {
        self.codec = codec
    }

    /// The scene in `data`; nil when the bytes are not a decodable image.
    func analyse(_ data: Data) -> SceneAnalysis? {
        guard let raster = try? codec.decode(data) else { return nil }
        return SceneAnalysis(raster)
    }

    func mask(for object: SceneObject, in scene: SceneAnalysis, form: EmulatorConfiguration.MaskForm) throws -> JSONValue {
        try MaskEncoder(codec: codec).mask(for: object, in: scene, form: form)
    }
}
