import Foundation

/// A line chart rendered as a standalone SVG document: one labelled, coloured curve per
/// series, a legend, axis titles and ticks, and an optional logarithmic y axis (loss curves).
public struct LineChart: Sendable {
    /// One curve: its legend label and its y values at x = 1, 2, 3, ...
    public struct Series: Sendable {
        /// The legend label.
        public var label: String
        /// The y values, the first at x = 1. Non-finite or (on a log axis) non-positive values are skipped.
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

    /// The SVG document.
    public func svg() -> String {
        let left = 80.0, right = 190.0, top = 50.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let transform: (Double) -> Double = logarithmicY ? { Foundation.log10($0) } : { $0 }
        let usable = series.flatMap(\.values).filter { $0.isFinite && (!logarithmicY || $0 > 0) }.map(transform)
        var low = usable.min() ?? 0, high = usable.max() ?? 1
        if logarithmicY { low = low.rounded(.down); high = high.rounded(.up) }
        if high - low < 1e-12 { high = low + 1 }
        let maxX = Double(Swift.max(series.map(\.values.count).max() ?? 1, 2))
        func px(_ x: Double) -> Double { left + (x - 1) / (maxX - 1) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (transform(y) - low) / (high - low)) * plotHeight }

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
        for x in LineChart.niceTicks(upTo: maxX) {
            out += "<text x=\"\(px(x))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(Int(x))</text>\n"
        }
        out += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 15)\" text-anchor=\"middle\" font-size=\"14\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(20 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">\(escape(yLabel))\(logarithmicY ? " (log scale)" : "")</text>\n"
        for (index, curve) in series.enumerated() {
            let colour = LineChart.palette[index % LineChart.palette.count]
            var path = "", pen = "M"
            for (x, value) in LineChart.decimated(curve.values, columns: Int(plotWidth)) {
                guard value.isFinite, !logarithmicY || value > 0 else { pen = "M"; continue }
                path += "\(pen)\(format(px(x))),\(format(py(value))) "
                pen = "L"
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>\n"
            let ly = top + 10 + Double(index) * 20
            out += "<line x1=\"\(left + plotWidth + 15)\" y1=\"\(ly)\" x2=\"\(left + plotWidth + 40)\" y2=\"\(ly)\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            out += "<text x=\"\(left + plotWidth + 46)\" y=\"\(ly + 4)\">\(escape(curve.label))</text>\n"
        }
        return out + "</svg>\n"
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
        return [1] + stride(from: step, through: limit, by: step).map { $0 }
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
