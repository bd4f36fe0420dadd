/// Steps several schedulers together, in order, as one (`torch.optim.lr_scheduler.ChainedScheduler`):
/// their chainable rules compose, e.g. a constant warm-up factor on top of an exponential decay.
///
/// ```swift
/// let scheduler = try ChainedScheduler([
///     try ConstantLR(optimizer, factor: 0.1, totalIters: 20),
///     ExponentialLR(optimizer, gamma: 0.9),
/// ])
/// ```
///
/// Creating it changes nothing: each scheduler made its initial step when it was created.
public final class ChainedScheduler: LRScheduler {
    /// The schedulers, stepped in this order.
    public let schedulers: [LRScheduler]

    /// Chains `schedulers`, which must all drive `optimizer` (by default the first one's).
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` with PyTorch's wording
    ///   if `schedulers` is empty or one belongs to another optimizer.
    public init(_ schedulers: [LRScheduler], optimizer: (any Optimizer)? = nil) throws(SchedulerError) {
        guard let first = schedulers.first else {
            throw .invalidArgument(
                scheduler: "ChainedScheduler", message: "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        }
        let optimizer = optimizer ?? first.optimizer
        for (index, scheduler) in schedulers.enumerated() where scheduler.optimizer !== optimizer {
            throw .invalidArgument(
                scheduler: "ChainedScheduler",
                message: "ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler \(scheduler.name) at index \(index) with another optimizer.")
        }
        self.schedulers = schedulers
        super.init(compositeNamed: "ChainedScheduler", optimizer: optimizer)
    }

    /// Steps every scheduler once, in order.
    public override func step() {
        for scheduler in schedulers { scheduler.step() }
        lastLR = optimizer.learningRates
    }

    /// As PyTorch's `_initial_step` on a chain held by ``SequentialLR``: one ``step()``.
    override func initialStep() { step() }

    override func undoInitialStep() {
        for scheduler in schedulers { scheduler.undoInitialStep() }
    }

    /// `last_epoch`, `last_lr.<group>` and each scheduler's state under `_schedulers.<index>.`.
    public override func stateDict() -> [String: String] {
        compositeStateDict(schedulers)
    }

    /// Restores a state saved by ``stateDict()``, the schedulers' included.
    ///
    /// - Throws: ``SchedulerError/invalidStateDict(scheduler:message:)`` if an entry is missing
    ///   or malformed.
    public override func loadStateDict(_ state: [String: String]) throws(SchedulerError) {
        try loadCompositeStateDict(state, schedulers)
    }
}
