import Tensor

extension Init {
    /// The activation after a layer, for ``calculateGain(_:parameter:)``.
    public enum Nonlinearity: Sendable {
        /// The identity (also PyTorch's `conv1d`...`conv_transpose3d`): gain 1.
        case linear
        /// The logistic sigmoid: gain 1.
        case sigmoid
        /// The hyperbolic tangent: gain 5/3.
        case tanh
        /// The rectifier: gain sqrt(2).
        case relu
        /// The leaky rectifier with negative slope `parameter` (0.01 if none): gain sqrt(2 / (1 + slope²)).
        case leakyReLU
        /// SELU: gain 3/4.
        case selu
    }

    /// Which fan the He initialisations divide by.
    public enum FanMode: Sendable {
        /// The number of inputs of each output unit: preserves the forward pass's variance.
        case fanIn
        /// The number of outputs of each input unit: preserves the backward pass's variance.
        case fanOut
    }

    /// The recommended gain for `nonlinearity` (`init.calculate_gain(nonlinearity, param)`);
    /// `parameter` is the leaky ReLU's negative slope.
    public static func calculateGain(_ nonlinearity: Nonlinearity, parameter: Double? = nil) -> Double {
        switch nonlinearity {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3
        case .relu: 2.0.squareRoot()
        case .leakyReLU:
            (2.0 / (1 + (parameter ?? 0.01) * (parameter ?? 0.01))).squareRoot()
        case .selu: 3.0 / 4
        }
    }

    /// The fan-in and fan-out of a weight of `shape` (`init._calculate_fan_in_and_fan_out`):
    /// `shape[1]` and `shape[0]` times the product of the remaining (receptive-field) dimensions.
    ///
    /// - Precondition: `shape` has at least 2 dimensions.
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        check(
            shape.count >= 2,
            "Init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape \(shape))")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    /// The fan selected by `mode`.
    static func fan(of shape: [Int], mode: FanMode) -> Int {
        let (fanIn, fanOut) = fans(of: shape)
        return mode == .fanIn ? fanIn : fanOut
    }
}
