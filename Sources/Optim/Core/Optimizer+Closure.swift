import Tensor

extension Optimizer {
    /// Re-evaluates the model with `closure`, then applies one update, and returns the closure's
    /// loss (`optimizer.step(closure)`).
    ///
    /// The closure clears the gradients, computes the loss, calls `backward()` and returns the
    /// loss; it runs with gradients enabled even inside ``withNoGrad(_:)`` (PyTorch's
    /// `torch.enable_grad()`), so the update uses the gradients it left:
    ///
    /// ```swift
    /// let loss = optimizer.step {
    ///     optimizer.zeroGrad()
    ///     let loss = mseLoss(model(x), y)
    ///     loss.backward()
    ///     return loss
    /// }
    /// ```
    ///
    /// Every optimizer here calls the closure exactly once, as PyTorch's SGD, Adam, AdamW,
    /// Adagrad and RMSprop do; optimizers that re-evaluate several times per step (PyTorch's
    /// LBFGS) are not provided.
    @discardableResult
    public func step<Loss>(closure: () throws -> Loss) rethrows -> Loss {
        let loss = try withGrad { try closure() }
        step()
        return loss
    }
}
