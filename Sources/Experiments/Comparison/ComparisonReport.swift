import Foundation
import Optim
import Tensor

/// The results of an ``OptimizerComparison`` (or any set of named loss curves), with the
/// table, CSV and SVG views the coursework reports.
public struct ComparisonReport: Sendable {
    /// One candidate's outcome.
    public struct Result: Sendable {
        /// The candidate's name.
        public var name: String
        /// The loss of every epoch (before its step), epoch 1 first.
        public var losses: [Double]
        /// The first epoch after whose update greedy decoding reproduces the text, if any.
        public var convergedEpoch: Int?
        /// Wall-clock training seconds.
        public var seconds: Double

        /// The last epoch's loss.
        public var finalLoss: Double { losses.last ?? .nan }

        /// A result.
        public init(name: String, losses: [Double], convergedEpoch: Int?, seconds: Double) {
            self.name = name
            self.losses = losses
            self.convergedEpoch = convergedEpoch
            self.seconds = seconds
        }
    }

    /// The results in the order they were run.
    public var results: [Result]

    /// A report of `results`.
    public init(results: [Result]) { self.results = results }

    /// An aligned text table: name, final loss, converged epoch ("never" if none), seconds.
    ///
    /// - Parameter nameColumn: the heading of the first column (what the runs differ in).
    public func table(nameColumn: String = "optimizer") -> String {
        let header = [nameColumn, "final loss", "converged at epoch", "seconds"]
        let rows = results.map { r in
            [r.name, String(format: "%.6g", r.finalLoss), r.convergedEpoch.map(String.init) ?? "never", String(format: "%.3f", r.seconds)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// CSV with one row per epoch and one column per candidate: `epoch,<name>,<name>,...`,
    /// losses with 17 significant digits (empty where a run is shorter).
    public func csv() -> String {
        let epochs = results.map(\.losses.count).max() ?? 0
        var lines = ["epoch," + results.map { csvField($0.name) }.joined(separator: ",")]
        for epoch in 0..<epochs {
            let cells = results.map { epoch < $0.losses.count ? String(format: "%.17g", $0.losses[epoch]) : "" }
            lines.append("\(epoch + 1)," + cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The loss curves as an SVG line chart with a logarithmic loss axis.
    public func svg(title: String) -> String {
        LineChart(
            title: title, xLabel: "epoch", yLabel: "cross-entropy loss",
            series: results.map { LineChart.Series(label: $0.name, values: $0.losses) }
        ).svg()
    }

    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

extension ComparisonReport.Result {
    /// Trains `model` on `task` and records its curve, timing and convergence epoch (the first
    /// epoch after whose update greedy decoding reproduces the text).
    ///
    /// - Throws: ``TrainingError`` when a loss becomes NaN or infinite.
    public static func training<Scalar>(
        _ name: String, model: CharRNN<Scalar>, on task: CharTask<Scalar>, optimizer: any Optimizer<Scalar>, epochs: Int,
        clipValue: Double? = nil, onEpoch: (Int, Double) -> Void = { _, _ in }
    ) throws(TrainingError) -> ComparisonReport.Result {
        var converged: Int?
        let result = try train(model, on: task, optimizer: optimizer, epochs: epochs, clipValue: clipValue) { epoch, loss in
            if converged == nil, model.predictsPerfectly(task) { converged = epoch }
            onEpoch(epoch, loss)
            return .proceed
        }
        return ComparisonReport.Result(name: name, losses: result.losses, convergedEpoch: converged, seconds: result.seconds)
    }
}
