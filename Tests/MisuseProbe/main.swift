// A test-only program that misuses the API on purpose, one misuse per argument. The release
// misuse test (Tests/TensorTests/ReleaseMisuseTests.swift) builds it with `-c release` and checks
// that each trap's message reaches standard error, as users of release builds need it to.
import NN
import Tensor

let misuse = CommandLine.arguments.dropFirst().first ?? ""
switch misuse {
case "matmul":
    _ = Tensor<Float>.zeros([1, 14]).matmul(Tensor<Float>.zeros([12, 15]))
case "item":
    _ = Tensor<Float>.zeros([2, 3]).item
case "backward-twice":
    let x = Tensor<Float>.ones([3], requiresGrad: true)
    let loss = (x * x).sum()
    loss.backward()
    loss.backward()
case "class-index":
    _ = crossEntropy(Tensor<Float>.zeros([2, 3]), Tensor<Int>([0, 7]))
case "repeated-axis":
    _ = Tensor<Float>.zeros([2, 3]).sum(axes: [1, -1])
default:
    print("usage: MisuseProbe matmul|item|backward-twice|class-index|repeated-axis")
}
