import Foundation
import Imaging

enum Colors {
    static let red: [UInt8] = [255, 0, 0]
    static let green: [UInt8] = [0, 255, 0]
    static let blue: [UInt8] = [0, 0, 255]
    static let white: [UInt8] = [255, 255, 255]
    static let grey: [UInt8] = [128, 128, 128]
}

/// A grey picture with a red square in its top-left quarter: where the red lands shows how it was turned.
func markedPicture(width: Int, height: Int) -> PixelImage {
    var image = PixelImage(width: width, height: height, fill: Colors.grey)
    image.fillRect(x: width / 8, y: height / 8, width: width / 4, height: height / 4, color: Colors.red)
    return image
}

/// True when every band is within `tolerance` of `expected` (lossy codecs move values a little).
func isClose(_ actual: [UInt8], _ expected: [UInt8], tolerance: Int = 24) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { abs(Int($0) - Int($1)) <= tolerance }
}

/// Runs `body` and returns the `ImagingError` it throws (nil when it throws none or another error).
func imagingError<T>(_ body: () throws -> T) -> ImagingError? {
    do {
        _ = try body()
        return nil
    } catch let error as ImagingError {
        return error
    } catch {
        return nil
    }
}
