/// Runs schedulers one after another, switching at the given epochs
/// (`torch.optim.lr_scheduler.SequentialLR`), e.g. a warm-up then a decay:
///
/// ```swift
/// let warmup = try LinearLR(optimizer, startFactor: 0.1, totalIters: 5)
/// let decay = try CosineAnnealingLR(optimizer, tMax: 95)
/// let scheduler = try SequentialLR(optimizer, schedulers: [warmup, decay], milestones: [5])
/// ```
///
/// As in PyTorch: creating it resets every group's learning rate to its `initial_lr`, takes
/// back the epoch each scheduler counted at creation, and repeats the first one's initial step.
/// At epoch t the active scheduler is `schedulers[i]` with i = the number of milestones ≤ t
/// (bisect right); at its milestone it restarts at epoch 0 from its base rates (its closed
/// form, e.g. the cosine's top), and otherwise it steps as usual.
public final class SequentialLR: LRScheduler {
    /// The schedulers, in the order they run.
    public let schedulers: [LRScheduler]
    /// The epochs at which the next scheduler takes over (one fewer than `schedulers`).
    public let milestones: [Int]

    /// Creates the sequence and sets epoch 0's learning rates with the first scheduler.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` with PyTorch's wording
    ///   if `schedulers` is empty, one belongs to another optimizer, the number of milestones
    ///   is not one fewer, or a ``SequentialLR`` or ``ChainedScheduler`` would be restarted at a
    ///   milestone (PyTorch raises `NotImplementedError` there).
    public init(_ optimizer: any Optimizer, schedulers: [LRScheduler], milestones: [Int]) throws(SchedulerError) {
        func invalid(_ message: String) -> SchedulerError { .invalidArgument(scheduler: "SequentialLR", message: message) }
        guard !schedulers.isEmpty else { throw invalid("SequentialLR expects at least one scheduler, but got no scheduler.") }
        for (index, scheduler) in schedulers.enumerated() {
            guard scheduler.optimizer === optimizer else {
                throw invalid("SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler \(scheduler.name) at index \(index) with another optimizer.")
            }
            guard index == 0 || !(scheduler is SequentialLR || scheduler is ChainedScheduler) else {
                throw invalid("\(scheduler.name) at index \(index) cannot be restarted at a milestone")
            }
        }
        guard milestones.count == schedulers.count - 1 else {
            throw invalid("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)")
        }
        self.schedulers = schedulers
        self.milestones = milestones
        super.init(compositeNamed: "SequentialLR", optimizer: optimizer)
        lastEpoch = 0
        optimizer.learningRates = baseLRs
        for scheduler in schedulers { scheduler.undoInitialStep() }
        let first = schedulers[bisectRight(0)]
        first.initialStep()
        lastLR = first.lastLR
    }

    /// The number of milestones that come at or before `epoch` in PyTorch's `bisect_right` sense.
    private func bisectRight(_ epoch: Int) -> Int {
        var low = 0, high = milestones.count
        while low < high {
            let middle = (low + high) / 2
            if epoch < milestones[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Steps the scheduler active at the next epoch, restarting it at its milestone.
    public override func step() {
        lastEpoch += 1
        let index = bisectRight(lastEpoch)
        let scheduler = schedulers[index]
        if index > 0 && milestones[index - 1] == lastEpoch {
            scheduler.restart()
        } else {
            scheduler.step()
        }
        lastLR = scheduler.lastLR
    }

    /// As PyTorch's `_initial_step` on a nested sequence: one ``step()``.
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

extension LRScheduler {
    /// The state of ``SequentialLR`` and ``ChainedScheduler``: their own `last_epoch` and
    /// `last_lr.<group>`, and each held scheduler's entries prefixed `_schedulers.<index>.`.
    func compositeStateDict(_ schedulers: [LRScheduler]) -> [String: String] {
        var state = ["last_epoch": String(lastEpoch)]
        for (group, lr) in lastLR.enumerated() { state["last_lr.\(group)"] = String(lr) }
        for (index, scheduler) in schedulers.enumerated() {
            for (key, value) in scheduler.stateDict() { state["_schedulers.\(index).\(key)"] = value }
        }
        return state
    }

    /// Restores what ``compositeStateDict(_:)`` saved, validating everything before changing anything
    /// of this scheduler (held schedulers validate their own parts).
    func loadCompositeStateDict(_ state: [String: String], _ schedulers: [LRScheduler]) throws(SchedulerError) {
        var parts = Array(repeating: [String: String](), count: schedulers.count)
        var own: [String: String] = [:]
        for (key, value) in state {
            if key.hasPrefix("_schedulers.") {
                let rest = key.dropFirst("_schedulers.".count)
                guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]), parts.indices.contains(index) else {
                    throw .invalidStateDict(scheduler: name, message: "unexpected key '\(key)'")
                }
                parts[index][String(rest[rest.index(after: dot)...])] = value
            } else {
                own[key] = value
            }
        }
        let groups = lastLR.count
        guard own.count == 1 + groups, let epoch = own["last_epoch"].flatMap({ Int($0) }) else {
            throw .invalidStateDict(scheduler: name, message: "expected last_epoch and \(groups) last_lr entries")
        }
        var last: [Double] = []
        for group in 0..<groups {
            guard let lr = own["last_lr.\(group)"].flatMap({ Double($0) }) else {
                throw .invalidStateDict(scheduler: name, message: "missing or malformed 'last_lr.\(group)'")
            }
            last.append(lr)
        }
        for (scheduler, part) in zip(schedulers, parts) { try scheduler.loadStateDict(part) }
        lastEpoch = epoch
        lastLR = last
    }
}
