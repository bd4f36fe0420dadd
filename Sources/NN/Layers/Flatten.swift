import Tensor

/// Merges a range of dimensions into one (`torch.nn.Flatten`).
///
/// Shape: `[n, c, h, w]` becomes `[n, c·h·w]` with the defaults (every dimension but the first).
public final class Flatten<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The first dimension merged (`start_dim`).
    public let startAxis: Int
    /// The last dimension merged (`end_dim`); negative counts from the end.
    public let endAxis: Int

    /// Creates the layer (`nn.Flatten(start_dim=1, end_dim=-1)`).
    public init(startAxis: Int = 1, endAxis: Int = -1) {
        self.startAxis = startAxis
        self.endAxis = endAxis
        super.init()
    }

    /// `start_dim=..., end_dim=...`, as PyTorch prints it.
    public override var extraDescription: String { "start_dim=\(startAxis), end_dim=\(endAxis)" }

    /// The input with dimensions `startAxis...endAxis` merged.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        input.flatten(startAxis: startAxis, endAxis: endAxis)
    }
}
