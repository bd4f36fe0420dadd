import Foundation
import Tensor

/// Cosine annealing with warm restarts (`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`,
/// SGDR of Loshchilov & Hutter, 2016): each group's rate follows a cosine from its base rate
/// to `etaMin` over Tᵢ epochs, then jumps back to the base rate; Tᵢ starts at `t0` and is
/// multiplied by `tMult` at every restart.
///
/// ```
/// ηₜ = η_min + (η_base − η_min) · (1 + cos(π · T_cur / Tᵢ)) / 2
/// ```
///
/// where T_cur counts the epochs since the last restart. ``step()`` adds 1 to T_cur (restarting
/// when T_cur ≥ Tᵢ: T_cur ← T_cur mod Tᵢ, Tᵢ ← Tᵢ · T_mult); ``step(epoch:)`` jumps to a
/// possibly fractional epoch e, e.g. once per batch with e = epoch + batch / batches:
///
/// ```
/// e < T₀:                     Tᵢ = T₀,  T_cur = e
/// e ≥ T₀, T_mult = 1:         T_cur = e mod T₀
/// e ≥ T₀, T_mult > 1:         n = ⌊log_{T_mult}(e / T₀ · (T_mult − 1) + 1)⌋,
///                             T_cur = e − T₀ (T_multⁿ − 1) / (T_mult − 1),  Tᵢ = T₀ · T_multⁿ
/// ```
///
/// and ``lastEpoch`` becomes ⌊e⌋. Not chainable: each step sets the rates from the formula.
public final class CosineAnnealingWarmRestarts: LRScheduler {
    /// The number of epochs T₀ before the first restart.
    public let t0: Int
    /// The factor T_mult by which the period grows at each restart.
    public let tMult: Int
    /// The minimum learning rate η_min.
    public let etaMin: Double
    /// The current period Tᵢ.
    public private(set) var tI: Int
    /// The epochs since the last restart, T_cur (fractional after ``step(epoch:)``).
    public private(set) var tCur = 0.0

    /// Creates the scheduler; epoch 0 sets the base rates.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` unless `t0 ≥ 1` and `tMult ≥ 1`.
    public init(_ optimizer: any Optimizer, t0: Int, tMult: Int = 1, etaMin: Double = 0) throws(SchedulerError) {
        guard t0 > 0 else {
            throw .invalidArgument(scheduler: "CosineAnnealingWarmRestarts", message: "Expected positive integer T_0, but got \(t0)")
        }
        guard tMult >= 1 else {
            throw .invalidArgument(scheduler: "CosineAnnealingWarmRestarts", message: "Expected integer T_mult >= 1, but got \(tMult)")
        }
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        tI = t0
        super.init(name: "CosineAnnealingWarmRestarts", optimizer: optimizer)
    }

    /// Advances T_cur by one epoch, restarting the cosine when a period ends.
    public override func step() {
        guard lastEpoch >= 0 else { return step(epoch: 0) }
        tCur += 1
        if tCur >= Double(tI) {
            tCur = tCur.truncatingRemainder(dividingBy: Double(tI))
            tI *= tMult
        }
        lastEpoch += 1
        apply(learningRates(current: optimizer.learningRates, isInitial: false))
    }

    /// Jumps to epoch `epoch` (fractional values place the rate within an epoch), as PyTorch's
    /// `step(epoch)`; see the type's formulas.
    public func step(epoch: Double) {
        check(epoch >= 0, "CosineAnnealingWarmRestarts.step: Expected non-negative epoch, but got \(epoch)")
        if epoch >= Double(t0) {
            if tMult == 1 {
                tCur = epoch.truncatingRemainder(dividingBy: Double(t0))
            } else {
                let n = Int(log(epoch / Double(t0) * Double(tMult - 1) + 1) / log(Double(tMult)))
                let power = (0..<n).reduce(1) { product, _ in product * tMult }
                tCur = epoch - Double(t0 * (power - 1)) / Double(tMult - 1)
                tI = t0 * power
            }
        } else {
            tI = t0
            tCur = epoch
        }
        lastEpoch = Int(floor(epoch))
        apply(learningRates(current: optimizer.learningRates, isInitial: false))
    }

    override func initialStep() { step(epoch: 0) }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        let cosine = 1 + cos(Double.pi * tCur / Double(tI))
        return baseLRs.map { etaMin + ($0 - etaMin) * cosine / 2 }
    }

    /// The base state plus `T_i` and `T_cur`.
    public override func stateDict() -> [String: String] {
        var state = super.stateDict()
        state["T_i"] = String(tI)
        state["T_cur"] = String(tCur)
        return state
    }

    /// Restores a state saved by ``stateDict()``.
    ///
    /// - Throws: ``SchedulerError/invalidStateDict(scheduler:message:)`` if an entry is missing or malformed.
    public override func loadStateDict(_ state: [String: String]) throws(SchedulerError) {
        guard let period = state["T_i"].flatMap({ Int($0) }), period > 0,
            let current = state["T_cur"].flatMap({ Double($0) }), current.isFinite, current >= 0
        else {
            throw .invalidStateDict(scheduler: name, message: "missing or malformed 'T_i' or 'T_cur'")
        }
        var rest = state
        rest["T_i"] = nil
        rest["T_cur"] = nil
        try super.loadStateDict(rest)
        tI = period
        tCur = current
    }
}
