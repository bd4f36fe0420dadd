// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SwiftTorch",
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Optim", targets: ["Optim"]),
        .executable(name: "examples", targets: ["Examples"]),
    ],
    targets: [
        .target(name: "CKernels"),
        .target(name: "Tensor", dependencies: ["CKernels"]),
        .target(name: "NN", dependencies: ["Tensor"]),
        .target(name: "Optim", dependencies: ["Tensor"]),
        .executableTarget(name: "Examples", dependencies: ["Tensor", "NN", "Optim"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "NNTests", dependencies: ["Tensor", "NN"]),
        .testTarget(name: "OptimTests", dependencies: ["Tensor", "NN", "Optim"]),
    ],
    swiftLanguageModes: [.v6]
)
