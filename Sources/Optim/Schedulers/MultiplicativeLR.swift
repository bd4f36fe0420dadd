/// Multiplies each group's learning rate by `lrLambda(t)` at every epoch t > 0
/// (`torch.optim.lr_scheduler.MultiplicativeLR`): ηₜ = ηₜ₋₁ · λ(t).
public final class MultiplicativeLR: LRScheduler {
    /// The factor function of each group.
    public let lrLambdas: [(Int) -> Double]

    /// Creates the scheduler with one factor function for every group; epoch 0 keeps the rates.
    public init(_ optimizer: any Optimizer, lrLambda: @escaping (Int) -> Double) {
        lrLambdas = Array(repeating: lrLambda, count: optimizer.learningRates.count)
        super.init(name: "MultiplicativeLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        lastEpoch > 0 ? zip(current, lrLambdas).map { $0 * $1(lastEpoch) } : current
    }
}
