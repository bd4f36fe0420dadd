/// Sets each group's learning rate to its base rate times a function of the epoch
/// (`torch.optim.lr_scheduler.LambdaLR`).
///
/// ```
/// ηₜ = η_base · λ(t)
/// ```
///
/// Unlike the other schedulers, this one also sets epoch 0's rate: `η_base · λ(0)`.
///
/// ```swift
/// let warmup = LambdaLR(optimizer) { epoch in min(1, Double(epoch + 1) / 5) }
/// ```
public final class LambdaLR: LRScheduler {
    /// The factor function of each group.
    public let lrLambdas: [(Int) -> Double]

    /// Creates the scheduler with one factor function for every group, and sets epoch 0's rates.
    public init(_ optimizer: any Optimizer, lrLambda: @escaping (Int) -> Double) {
        lrLambdas = Array(repeating: lrLambda, count: optimizer.learningRates.count)
        super.init(name: "LambdaLR", optimizer: optimizer)
    }

    /// Creates the scheduler with a factor function per group, and sets epoch 0's rates.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` unless there is
    ///   exactly one function per parameter group.
    public init(_ optimizer: any Optimizer, lrLambdas: [(Int) -> Double]) throws(SchedulerError) {
        let groups = optimizer.learningRates.count
        guard lrLambdas.count == groups else {
            throw .invalidArgument(scheduler: "LambdaLR", message: "expected \(groups) lr_lambdas, but got \(lrLambdas.count)")
        }
        self.lrLambdas = lrLambdas
        super.init(name: "LambdaLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        zip(lrLambdas, baseLRs).map { lambda, base in base * lambda(lastEpoch) }
    }
}
