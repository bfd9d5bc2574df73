/// Recognises image formats from their first bytes (never from the file name).
enum ImageSniffer {
    static let jpegMagic: [UInt8] = [0xFF, 0xD8, 0xFF]
    static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// ISO-BMFF brands of HEVC-coded HEIF files (image/heic).
    static let heicBrands: Set<String> = ["heic", "heix", "hevc", "heim", "heis", "hevm", "hevs"]
    /// Generic HEIF brands (image/heif) when the file names no HEVC brand as its major brand.
    static let heifBrands: Set<String> = ["mif1", "msf1"]
    /// Brands of AVIF, which Gemini does not accept although it is also HEIF.
    static let avifBrands: Set<String> = ["avif", "avis"]

    static func format(of header: [UInt8]) -> ImageFormat? {
        if header.starts(with: jpegMagic) { return .jpeg }
        if header.starts(with: pngMagic) { return .png }
        if isWebP(header) { return .webp }
        guard let brands = ftypBrands(header) else { return nil }
        if heicBrands.contains(brands.major) { return .heic }
        if heifBrands.contains(brands.major) {
            return brands.compatible.contains(where: avifBrands.contains) ? nil : .heif
        }
        return nil
    }

    /// True for images of formats Gemini does not take (GIF, TIFF, BMP, AVIF, JPEG XL).
    static func isOtherImage(_ header: [UInt8]) -> Bool {
        let ascii = String(decoding: header.prefix(6), as: UTF8.self)
        if ascii == "GIF87a" || ascii == "GIF89a" { return true }
        if header.starts(with: [0x49, 0x49, 0x2A, 0x00]) || header.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return true }
        if header.starts(with: [0xFF, 0x0A]) || header.starts(with: [0, 0, 0, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) { return true }
        if header.count >= 18, header.starts(with: [0x42, 0x4D]),
            [12, 40, 56, 108, 124].contains(Int(header[14]) | Int(header[15]) << 8)
        {
            return true
        }
        if let brands = ftypBrands(header) {
            return avifBrands.contains(brands.major) || brands.compatible.contains(where: avifBrands.contains)
        }
        return false
    }

    /// True when the bytes are a proper prefix of a signature: the file ends inside its magic number.
    static func isCutSignature(_ header: [UInt8]) -> Bool {
        guard !header.isEmpty else { return false }
        let riff = Array("RIFF".utf8)
        let cutMagic = [jpegMagic, pngMagic, riff].contains { header.count < $0.count && $0.starts(with: header) }
        let cutWebPHeader = header.count < 12 && header.starts(with: riff)
        return cutMagic || cutWebPHeader
    }

    private static func isWebP(_ header: [UInt8]) -> Bool {
        header.count >= 12 && header[0..<4].elementsEqual("RIFF".utf8) && header[8..<12].elementsEqual("WEBP".utf8)
    }

    /// Major and compatible brands of a leading ISO-BMFF `ftyp` box.
    private static func ftypBrands(_ header: [UInt8]) -> (major: String, compatible: [String])? {
        guard header.count >= 12, header[4..<8].elementsEqual("ftyp".utf8) else { return nil }
        let boxSize = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let major = String(decoding: header[8..<12], as: UTF8.self)
        var compatible: [String] = []
        var offset = 16
        while offset + 4 <= min(boxSize, header.count) {
            compatible.append(String(decoding: header[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        return (major, compatible)
    }
}
