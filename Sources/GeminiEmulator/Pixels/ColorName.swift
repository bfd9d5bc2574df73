/// Plain colour words for an RGB colour, the way a person (or a model) would name it.
enum ColorName {
    static func name(red: Int, green: Int, blue: Int) -> String {
        let r = Double(red) / 255
        let g = Double(green) / 255
        let b = Double(blue) / 255
        let maxC = max(r, g, b)
        let minC = min(r, g, b)
        let value = maxC
        let saturation = maxC == 0 ? 0 : (maxC - minC) / maxC
        if value < 0.2 { return "black" }
        if saturation < 0.2 {
            if value > 0.85 { return "white" }
            return "gray"
        }
        var hue: Double
        let delta = maxC - minC
        if maxC == r {
            hue = 60 * ((g - b) / delta).truncatingRemainder(dividingBy: 6)
        } else if maxC == g {
            hue = 60 * ((b - r) / delta + 2)
        } else {
            hue = 60 * ((r - g) / delta + 4)
        }
        if hue < 0 { hue += 360 }
        switch hue {
        case ..<15, 340...:
            return saturation < 0.5 && value > 0.8 ? "pink" : "red"
        case ..<40:
            return value < 0.6 ? "brown" : "orange"
        case ..<70:
            return "yellow"
        case ..<165:
            return "green"
        case ..<195:
            return "cyan"
        case ..<255:
            return "blue"
        case ..<290:
            return "purple"
        default:
            return "magenta"
        }
    }
}
