/// The base of the epoch-driven learning-rate schedulers (`torch.optim.lr_scheduler.LRScheduler`).
///
/// A scheduler changes its optimizer's ``Optimizer/learningRates`` each time ``step()`` is
/// called, normally once per epoch after the optimizer's own steps:
///
/// ```swift
/// let scheduler = try StepLR(optimizer, stepSize: 30, gamma: 0.1)
/// for epoch in 0..<100 {
///     train(epoch)            // optimizer.step() for every batch
///     scheduler.step()
/// }
/// ```
///
/// As in PyTorch, creating a scheduler performs an initial step (epoch 0) and the rules are
/// chainable: each step rescales the optimizer's current learning rates, so changes made by
/// others in between are kept. The first scheduler attached to an optimizer records each
/// group's learning rate as its ``Optimizer/initialLearningRates`` (PyTorch's `initial_lr`);
/// every scheduler, that one and those created later (chained, or mid-training), takes its
/// ``baseLRs`` from there.
public class LRScheduler {
    /// The optimizer whose learning rates this scheduler sets.
    public let optimizer: any Optimizer
    /// Each group's `initial_lr`: its learning rate when the first scheduler was attached to the
    /// optimizer (PyTorch's `base_lrs`).
    public internal(set) var baseLRs: [Double]
    /// The number of completed epochs: 0 after creation, then one more per ``step()``.
    public internal(set) var lastEpoch = -1
    /// The learning rates this scheduler last set, one per group (`get_last_lr()`).
    public internal(set) var lastLR: [Double]
    /// The name used in errors (`"StepLR"`).
    let name: String

    init(name: String, optimizer: any Optimizer) {
        self.name = name
        self.optimizer = optimizer
        let current = optimizer.learningRates
        let initial = zip(optimizer.initialLearningRates, current).map { initial, lr in initial ?? lr }
        optimizer.initialLearningRates = initial
        baseLRs = initial
        lastLR = current
        initialStep()
    }

    /// A scheduler over `optimizer` that makes no initial step: the base of ``SequentialLR``
    /// and ``ChainedScheduler``, which step the schedulers they hold.
    init(compositeNamed name: String, optimizer: any Optimizer) {
        self.name = name
        self.optimizer = optimizer
        let current = optimizer.learningRates
        baseLRs = zip(optimizer.initialLearningRates, current).map { initial, lr in initial ?? lr }
        lastLR = current
    }

    /// Advances one epoch and sets the optimizer's learning rates for it.
    public func step() { advance(isInitial: false) }

    /// The step made at creation (PyTorch's `_initial_step`), which ``SequentialLR`` repeats
    /// for its first scheduler.
    func initialStep() { advance(isInitial: true) }

    private func advance(isInitial: Bool) {
        lastEpoch += 1
        apply(learningRates(current: optimizer.learningRates, isInitial: isInitial))
    }

    /// Sets the optimizer's learning rates to `rates` and records them as ``lastLR``.
    func apply(_ rates: [Double]) {
        optimizer.learningRates = rates
        lastLR = rates
    }

    /// Restarts the schedule at epoch 0 (PyTorch's `_update_lr(0)`, what ``SequentialLR`` does
    /// at a milestone): the closed form at epoch 0 if the scheduler has one, else its rule.
    func restart() {
        lastEpoch = 0
        apply(closedFormLearningRates() ?? learningRates(current: optimizer.learningRates, isInitial: false))
    }

    /// Takes back the epoch counted by the step made at creation (PyTorch's `recursive_undo`,
    /// done by ``SequentialLR`` to the schedulers it holds).
    func undoInitialStep() { lastEpoch -= 1 }

    /// The learning rates for epoch ``lastEpoch`` given the optimizer's `current` ones;
    /// `isInitial` during the step made at creation. Each scheduler overrides this.
    func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        fatalError("\(name) does not define its learning-rate rule")
    }

    /// The learning rates at epoch ``lastEpoch`` computed from ``baseLRs`` alone (PyTorch's
    /// `_get_closed_form_lr`), or `nil` for schedulers without a closed form.
    func closedFormLearningRates() -> [Double]? { nil }

    /// The scheduler's progress (`scheduler.state_dict()`): `last_epoch`, `base_lrs.<group>`
    /// and `last_lr.<group>`, as strings in shortest round-trip form, ready to be stored as
    /// file metadata. Its fixed arguments (step size, gamma, lambdas) are not included.
    public func stateDict() -> [String: String] {
        var state = ["last_epoch": String(lastEpoch)]
        for (group, lr) in baseLRs.enumerated() { state["base_lrs.\(group)"] = String(lr) }
        for (group, lr) in lastLR.enumerated() { state["last_lr.\(group)"] = String(lr) }
        return state
    }

    /// Restores progress saved by ``stateDict()`` (`scheduler.load_state_dict`), so the next
    /// ``step()`` continues the schedule. Load the optimizer's state as well: the current
    /// learning rates live there.
    ///
    /// - Throws: ``SchedulerError/invalidStateDict(scheduler:message:)`` if an entry is
    ///   missing or malformed, or the number of groups differs.
    public func loadStateDict(_ state: [String: String]) throws(SchedulerError) {
        let groups = baseLRs.count
        let epoch = try parse(state, "last_epoch", as: Int.self)
        var base: [Double] = [], last: [Double] = []
        for group in 0..<groups {
            base.append(try parse(state, "base_lrs.\(group)", as: Double.self))
            last.append(try parse(state, "last_lr.\(group)", as: Double.self))
        }
        guard state.count == 1 + 2 * groups else {
            throw .invalidStateDict(
                scheduler: name, message: "expected entries for \(groups) groups, got keys \(state.keys.sorted())")
        }
        lastEpoch = epoch
        baseLRs = base
        lastLR = last
    }

    private func parse<T: LosslessStringConvertible>(_ state: [String: String], _ key: String, as: T.Type)
        throws(SchedulerError) -> T
    {
        guard let text = state[key], let value = T(text) else {
            throw .invalidStateDict(scheduler: name, message: "missing or malformed '\(key)'")
        }
        return value
    }
}
