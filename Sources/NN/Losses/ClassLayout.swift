import Tensor

/// PyTorch's class-dimension convention for classification losses: input `[C]` (unbatched),
/// `[N, C]` or `[N, C, d1, ..., dk]`, with the matching per-element shape `[]`, `[N]` or
/// `[N, d1, ..., dk]`.
enum ClassLayout {
    /// The input as rows `[M, C]`, one per element (the class dimension moved last), and the
    /// per-element shape.
    static func rows<Scalar: TensorFloatingPoint>(_ input: Tensor<Scalar>, op: String) -> (rows: Tensor<Scalar>, elementShape: [Int]) {
        switch input.rank {
        case 0:
            fatalError("\(op): expected input of shape [C], [N, C] or [N, C, d...], got a 0-d tensor")
        case 1:
            return (input.unsqueeze(0), [])
        case 2:
            return (input, [input.shape[0]])
        default:
            let order = [0] + Array(2..<input.rank) + [1]
            let elementShape = [input.shape[0]] + Array(input.shape[2...])
            return (input.permute(order).reshape([-1, input.shape[1]]), elementShape)
        }
    }

    /// A class-index target checked against the input's per-element shape, flattened.
    static func indices(_ target: Tensor<Int>, elementShape: [Int], inputShape: [Int], op: String) -> [Int] {
        check(
            target.shape == elementShape,
            "\(op): expected target of shape \(elementShape) for input of shape \(inputShape), got \(target.shape)")
        return target.scalars
    }

    /// The per-class weights as an array, checked against the class count.
    static func classWeights<Scalar: TensorFloatingPoint>(_ weight: Tensor<Scalar>?, classes: Int, op: String) -> [Scalar]? {
        guard let weight else { return nil }
        check(weight.shape == [classes], "\(op): expected weight of shape [\(classes)], got \(weight.shape)")
        return weight.scalars
    }
}
