import Experiments
import Foundation
import Testing

/// The loss charts as a reader of a printed report needs them: zeros on a log axis, many
/// curves, one-epoch runs.
@Suite("line chart")
struct LineChartTests {
    /// The `d` attribute of every `<path ...>` element that draws a curve (stroke-width 1.8).
    static func curvePaths(_ svg: String) -> [String] {
        svg.split(separator: "\n").filter { $0.hasPrefix("<path d=\"") && $0.contains("stroke-width=\"1.8\"") }.map { line in
            String(line.dropFirst("<path d=\"".count).prefix { $0 != "\"" })
        }
    }

    /// The (x, y) points of a path's `d` attribute.
    static func points(_ d: String) -> [(Double, Double)] {
        d.split(separator: " ").compactMap { part in
            let xy = part.dropFirst().split(separator: ",").compactMap { Double($0) }
            return xy.count == 2 ? (xy[0], xy[1]) : nil
        }
    }

    @Test("a loss of exactly 0 on a log axis is drawn on the floor, unbroken, marked where it first gets there, with a note")
    func zerosOnTheFloor() throws {
        let chart = LineChart(title: "t", xLabel: "epoch", yLabel: "loss", series: [
            .init(label: "rmsprop", values: [1, 0.1, 0.01, 0, 0, 1e-9, 0]),
            .init(label: "adam", values: [1, 0.5, 0.2, 0.1, 0.05, 0.02]),
        ])
        let svg = chart.svg()
        let path = try #require(Self.curvePaths(svg).first)
        #expect(path.filter { $0 == "M" }.count == 1, "the curve breaks: \(path)")
        let points = Self.points(path)
        #expect(points.count == 7)
        let floor = 50.0 + (500 - 50 - 60)          // top + plot height
        #expect([3, 4, 6].allSatisfy { points[$0].1 == floor })
        #expect([0, 1, 2, 5].allSatisfy { points[$0].1 < floor })
        // One marker, where the curve first reaches 0: at epoch 4, on the floor (and one in the legend).
        #expect(svg.contains("<circle cx=\"\(String(format: "%.1f", points[3].0))\" cy=\"\(String(format: "%.1f", floor))\""))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
        #expect(svg.contains("on the floor: loss exactly 0"))
        // Nothing else reaches the floor: the lowest positive value is above it.
        #expect(!LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(label: "a", values: [1, 0.1])]).svg().contains("exactly 0"))
    }

    @Test("more than five curves get dash patterns and markers, in the legend too; five or fewer stay plain")
    func manyCurves() {
        let curves = (0..<8).map { i in LineChart.Series(label: "run \(i)", values: (1...50).map { 1 / Double($0 + i) }) }
        let many = LineChart(title: "t", xLabel: "epoch", yLabel: "loss", series: curves).svg()
        let dashes = Set(many.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "stroke-dasharray=\"") else { return line.hasPrefix("<path d=\"M") ? "" : nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        })
        #expect(dashes.count >= 4, "\(dashes)")
        let shapes = ["<circle", "<rect x=", "<polygon", "<path d=\"M"].map { shape in many.components(separatedBy: shape).count - 1 }
        #expect(shapes[0] > 0 && shapes[1] > 0 && shapes[2] > 0)
        // Every curve: 6 markers along it and 1 in the legend.
        #expect(shapes[0] + shapes[1] + shapes[2] >= 6 * 7)
        let few = LineChart(title: "t", xLabel: "epoch", yLabel: "loss", series: Array(curves.prefix(5))).svg()
        #expect(!few.contains("stroke-dasharray") && !few.contains("<circle") && !few.contains("<polygon"))
    }

    @Test("a one-epoch run draws a marker per curve, in the middle, with one x label")
    func oneEpoch() {
        let svg = LineChart(title: "t", xLabel: "epoch", yLabel: "loss", series: [
            .init(label: "sgd", values: [2.5]), .init(label: "adam", values: [2.4]),
        ]).svg()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)       // sgd: its point and its legend entry
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 3)      // adam's likewise, and the plot frame
        let tickRow = "y=\"\(50.0 + 390 + 18)\""
        let xLabels = svg.split(separator: "\n").filter { $0.contains(tickRow) }.map { String($0) }
        #expect(xLabels == ["<text x=\"\(80.0 + 530 / 2)\" \(tickRow) text-anchor=\"middle\">1</text>"], "\(xLabels)")
    }
}
