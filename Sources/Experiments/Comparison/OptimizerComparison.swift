import NN
import Optim
import Tensor

/// Trains the same model, from the same initial weights, on the same task with several
/// optimizers, and collects what the coursework compares: per-epoch losses, final losses,
/// the first epoch whose greedy prediction is right, and timings.
///
/// ```swift
/// let task = try CharTask<Float>(text: "Acknowledgement")
/// let comparison = OptimizerComparison(
///     task: task, epochs: 500,
///     makeModel: { CharRNN(vocabularySize: task.vocabulary.count, hiddenSize: 15) },
///     candidates: [
///         .init("sgd") { try SGD($0, lr: 0.01) },
///         .init("adam") { try Adam($0, lr: 0.01) },
///     ])
/// let report = try comparison.run()
/// print(report.table())
/// ```
public struct OptimizerComparison<Scalar: TensorFloatingPoint> {
    /// A named optimizer factory.
    public struct Candidate {
        /// The name shown in tables, legends and CSV headers.
        public var name: String
        /// Builds the optimizer over a fresh model's parameters (an optimizer's initialiser throws
        /// ``OptimizerError`` for invalid options).
        public var makeOptimizer: ([Tensor<Scalar>]) throws -> any Optimizer<Scalar>

        /// A candidate called `name` built by `makeOptimizer`, e.g. `.init("adam") { try Adam($0, lr: 0.01) }`.
        public init(_ name: String, _ makeOptimizer: @escaping ([Tensor<Scalar>]) throws -> any Optimizer<Scalar>) {
            self.name = name
            self.makeOptimizer = makeOptimizer
        }

        /// A candidate built from an ``OptimizerSpec``.
        public init(_ name: String, spec: OptimizerSpec) {
            self.init(name) { parameters in try spec.make(parameters) }
        }
    }

    /// The task every candidate trains on.
    public var task: CharTask<Scalar>
    /// The number of epochs per candidate.
    public var epochs: Int
    /// Builds a model; called once for the shared initial weights and once per candidate.
    public var makeModel: () -> CharRNN<Scalar>
    /// The optimizers to compare, in order.
    public var candidates: [Candidate]
    /// Gradient clipping to `[-clipValue, clipValue]` before each step, if set.
    public var clipValue: Double?

    /// A comparison of `candidates` on `task`.
    public init(
        task: CharTask<Scalar>, epochs: Int, makeModel: @escaping () -> CharRNN<Scalar>, candidates: [Candidate],
        clipValue: Double? = nil
    ) {
        self.task = task
        self.epochs = epochs
        self.makeModel = makeModel
        self.candidates = candidates
        self.clipValue = clipValue
    }

    /// Trains every candidate from the same initial weights.
    ///
    /// - Parameter onEpoch: progress: the candidate's name, the epoch (1-based) and its loss.
    /// - Throws: ``ComparisonError`` when an optimizer cannot be built or a loss diverges.
    public func run(onEpoch: (String, Int, Double) -> Void = { _, _, _ in }) throws(ComparisonError) -> ComparisonReport {
        let initial = makeModel().stateDict().copied()
        var results: [ComparisonReport.Result] = []
        for candidate in candidates {
            let model = makeModel()
            do {
                _ = try model.loadStateDict(initial.copied())
            } catch {
                fatalError("OptimizerComparison: makeModel built models of different shapes: \(error)")
            }
            let optimizer: any Optimizer<Scalar>
            do {
                optimizer = try candidate.makeOptimizer(model.parameters())
            } catch {
                throw .invalidOptimizer(name: candidate.name, error)
            }
            do throws(TrainingError) {
                results.append(try ComparisonReport.Result.training(
                    candidate.name, model: model, on: task, optimizer: optimizer, epochs: epochs, clipValue: clipValue,
                    onEpoch: { onEpoch(candidate.name, $0, $1) }))
            } catch {
                throw .training(name: candidate.name, error)
            }
        }
        return ComparisonReport(results: results)
    }
}

/// Why a comparison stopped.
public enum ComparisonError: Error, CustomStringConvertible {
    /// The candidate's optimizer could not be built (typically an ``OptimizerError``: invalid options).
    case invalidOptimizer(name: String, any Error)
    /// The candidate's training failed (a NaN or infinite loss).
    case training(name: String, TrainingError)

    public var description: String {
        switch self {
        case .invalidOptimizer(let name, let error): "\(name): \(error)"
        case .training(let name, let error): "\(name): \(error)"
        }
    }
}
