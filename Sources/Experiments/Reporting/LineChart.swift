import Foundation

/// A line chart rendered as a standalone SVG document: one labelled, coloured curve per
/// series, a legend, axis titles and ticks, and an optional logarithmic y axis (loss curves).
///
/// For print: with more than five curves each also gets its own dash pattern and marker
/// shape, in the legend too; a curve of a single point is drawn as its marker. On a logarithmic
/// axis a value of exactly 0 (a loss that underflowed, as float32 RMSprop's does) is drawn on the
/// plot's floor, with a marker where the curve first reaches it and a note under the legend.
public struct LineChart: Sendable {
    /// One curve: its legend label and its y values at x = 1, 2, 3, ...
    public struct Series: Sendable {
        /// The legend label.
        public var label: String
        /// The y values, the first at x = 1. Non-finite or (on a log axis) negative values are
        /// skipped; zeros on a log axis lie on the floor.
        public var values: [Double]

        /// A curve named `label`.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    /// The chart title.
    public var title: String
    /// The x-axis title.
    public var xLabel: String
    /// The y-axis title.
    public var yLabel: String
    /// Whether the y axis is logarithmic (base 10).
    public var logarithmicY: Bool
    /// The curves, drawn in order.
    public var series: [Series]
    /// The document size in pixels.
    public var width = 800.0, height = 500.0

    /// A chart of `series`.
    public init(title: String, xLabel: String, yLabel: String, logarithmicY: Bool = true, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logarithmicY = logarithmicY
        self.series = series
    }

    /// Distinct colours for up to ten curves (then they repeat).
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    /// Dash patterns for charts of more than five curves (`stroke-dasharray`, "" for solid).
    static let dashes = ["", "7 4", "2 3", "9 3 2 3"]
    /// Marker shapes, in the order curves take them.
    enum Marker: CaseIterable {
        case circle, square, triangle, diamond, cross
    }
    /// How many markers a curve carries along its length when markers are on.
    static let markersPerCurve = 6

    /// The SVG document.
    public func svg() -> String {
        let left = 80.0, right = 190.0, top = 50.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let transform: (Double) -> Double = logarithmicY ? { Foundation.log10($0) } : { $0 }
        let usable = series.flatMap(\.values).filter { $0.isFinite && (!logarithmicY || $0 > 0) }.map(transform)
        let hasZeros = logarithmicY && series.contains { $0.values.contains(0) }
        var low = usable.min() ?? 0, high = usable.max() ?? 1
        if logarithmicY {
            // With zeros, the floor lies strictly below every positive value.
            low = hasZeros && low == low.rounded(.down) ? low - 1 : low.rounded(.down)
            high = high.rounded(.up)
        }
        if high - low < 1e-12 { high = low + 1 }
        let styled = series.count > 5
        let longest = series.map(\.values.count).max() ?? 0
        let maxX = Double(Swift.max(longest, 2))
        // A run of one epoch: its points in the middle, one tick.
        func px(_ x: Double) -> Double { longest == 1 ? left + plotWidth / 2 : left + (x - 1) / (maxX - 1) * plotWidth }
        func py(_ y: Double) -> Double { logarithmicY && y == 0 ? top + plotHeight : top + (1 - (transform(y) - low) / (high - low)) * plotHeight }
        func drawable(_ y: Double) -> Bool { y.isFinite && (!logarithmicY || y >= 0) }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left + plotWidth / 2)" y="28" text-anchor="middle" font-size="16">\(escape(title))</text>
            <rect x="\(left)" y="\(top)" width="\(plotWidth)" height="\(plotHeight)" fill="none" stroke="#333"/>

            """
        // y ticks: each power of ten on a log axis, five even steps otherwise.
        let yTicks: [Double] = logarithmicY
            ? stride(from: low, through: high, by: Swift.max(1, ((high - low) / 8).rounded(.up))).map { Foundation.pow(10, $0) }
            : (0...5).map { low + (high - low) * Double($0) / 5 }
        for tick in yTicks {
            let y = py(tick)
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(tickLabel(tick))</text>\n"
        }
        for x in longest == 1 ? [1] : LineChart.niceTicks(upTo: maxX) {
            out += "<text x=\"\(px(x))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(Int(x))</text>\n"
        }
        out += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\" font-size=\"14\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(20 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">\(escape(yLabel))\(logarithmicY ? " (log scale)" : "")</text>\n"
        for (index, curve) in series.enumerated() {
            let colour = LineChart.palette[index % LineChart.palette.count]
            let dash = styled ? LineChart.dashes[index % LineChart.dashes.count] : ""
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let marker = LineChart.Marker.allCases[index % LineChart.Marker.allCases.count]
            var path = "", pen = "M"
            for (x, value) in LineChart.decimated(curve.values, columns: Int(plotWidth)) {
                guard drawable(value) else { pen = "M"; continue }
                path += "\(pen)\(format(px(x))),\(format(py(value))) "
                pen = "L"
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dashAttribute)/>\n"
            // Markers: along the curve when styled, on a lone point, and where a curve first reaches 0.
            var marked: [Int] = []
            if styled || curve.values.count == 1 {
                let count = curve.values.count
                // Evenly spaced, each curve's shifted a little so that markers of equal curves do not coincide.
                let offset = (Double(index) + 0.5) / Double(series.count)
                marked = count <= LineChart.markersPerCurve
                    ? Array(0..<count)
                    : (0..<LineChart.markersPerCurve).map { Int((Double($0) + offset) / Double(LineChart.markersPerCurve) * Double(count - 1)) }
            }
            if logarithmicY, let firstZero = curve.values.firstIndex(of: 0) { marked.append(firstZero) }
            for i in marked where drawable(curve.values[i]) {
                out += LineChart.markerSVG(marker, x: px(Double(i + 1)), y: py(curve.values[i]), colour: colour)
            }
            let ly = top + 10 + Double(index) * 20
            out += "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(ly)\" x2=\"\(left + plotWidth + 42)\" y2=\"\(ly)\" stroke=\"\(colour)\" stroke-width=\"3\"\(dashAttribute)/>\n"
            if styled || curve.values.count == 1 || (logarithmicY && curve.values.contains(0)) {
                out += LineChart.markerSVG(marker, x: left + plotWidth + 27, y: ly, colour: colour)
            }
            out += "<text x=\"\(left + plotWidth + 48)\" y=\"\(ly + 4)\">\(escape(curve.label))</text>\n"
        }
        if hasZeros {
            let ly = top + 10 + Double(series.count) * 20 + 6
            out += "<text x=\"\(left + plotWidth + 12)\" y=\"\(ly)\" font-size=\"11\">on the floor: loss exactly 0</text>\n"
            out += "<text x=\"\(left + plotWidth + 12)\" y=\"\(ly + 14)\" font-size=\"11\">(marked where first reached)</text>\n"
        }
        return out + "</svg>\n"
    }

    /// A marker of `shape` centred at (x, y): a filled 8-pixel shape with a white outline.
    static func markerSVG(_ shape: Marker, x: Double, y: Double, colour: String) -> String {
        let r = 4.0
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let style = "fill=\"\(colour)\" stroke=\"white\" stroke-width=\"0.8\""
        switch shape {
        case .circle:
            return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r))\" \(style)/>\n"
        case .square:
            return "<rect x=\"\(f(x - r))\" y=\"\(f(y - r))\" width=\"\(f(2 * r))\" height=\"\(f(2 * r))\" \(style)/>\n"
        case .triangle:
            return "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x + r + 1)),\(f(y + r)) \(f(x - r - 1)),\(f(y + r))\" \(style)/>\n"
        case .diamond:
            return "<polygon points=\"\(f(x)),\(f(y - r - 1)) \(f(x + r + 1)),\(f(y)) \(f(x)),\(f(y + r + 1)) \(f(x - r - 1)),\(f(y))\" \(style)/>\n"
        case .cross:
            return "<path d=\"M\(f(x - r)),\(f(y - r)) L\(f(x + r)),\(f(y + r)) M\(f(x - r)),\(f(y + r)) L\(f(x + r)),\(f(y - r))\" "
                + "stroke=\"\(colour)\" stroke-width=\"2.2\" fill=\"none\"/>\n"
        }
    }

    /// The points of a curve to draw, (x, y) with x = 1, 2, ...: all of them when they are few;
    /// otherwise each pixel column's smallest and largest value (in their order), so that a curve
    /// of many thousand epochs keeps its shape and spikes in a small file.
    static func decimated(_ values: [Double], columns: Int) -> [(Double, Double)] {
        let points = values.enumerated().map { (Double($0.offset + 1), $0.element) }
        guard columns > 0, values.count > 2 * columns else { return points }
        let perColumn = Double(values.count) / Double(columns)
        var result: [(Double, Double)] = []
        var start = 0
        for column in 1...columns {
            let end = Swift.min(values.count, Int((Double(column) * perColumn).rounded()))
            guard end > start else { continue }
            let bin = points[start..<end]
            let low = bin.min { $0.1 < $1.1 }!, high = bin.max { $0.1 < $1.1 }!
            result += low.0 <= high.0 ? [low, high] : [high, low]
            start = end
        }
        return result
    }

    /// Round x positions for the axis labels: 1, then multiples of 1, 2 or 5 × 10^k up to `limit`
    /// (about five of them).
    static func niceTicks(upTo limit: Double) -> [Double] {
        let raw = limit / 5
        let magnitude = Foundation.pow(10, (Foundation.log10(Swift.max(raw, 1))).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return [1] + stride(from: step, through: limit, by: step).filter { $0 > 1 }
    }

    private func tickLabel(_ value: Double) -> String {
        if logarithmicY { return value >= 0.01 && value < 10000 ? String(format: "%g", value) : String(format: "1e%d", Int(Foundation.log10(value).rounded())) }
        return String(format: "%.3g", value)
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
