// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SwiftTorch",
    products: [
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "Optim", targets: ["Optim"]),
        .library(name: "Data", targets: ["Data"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .executable(name: "examples", targets: ["Examples"]),
    ],
    targets: [
        .target(name: "CKernels"),
        .target(name: "Tensor", dependencies: ["CKernels"]),
        .target(name: "NN", dependencies: ["Tensor"]),
        .target(name: "Optim", dependencies: ["Tensor", "NN"]),
        .target(name: "Data", dependencies: ["Tensor"]),
        .target(name: "Experiments", dependencies: ["Tensor", "NN", "Optim"]),
        .executableTarget(name: "Examples", dependencies: ["Tensor", "NN", "Optim", "Experiments"]),
        // Misuses the API on purpose; ReleaseMisuseTests builds it with -c release and reads its traps.
        .executableTarget(name: "MisuseProbe", dependencies: ["Tensor", "NN"], path: "Tests/MisuseProbe"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], exclude: ["Golden"]),
        .testTarget(name: "NNTests", dependencies: ["Tensor", "NN"], exclude: ["Golden"]),
        .testTarget(name: "DataTests", dependencies: ["Tensor", "Data", "NN", "Optim"], exclude: ["Golden"]),
        .testTarget(name: "OptimTests", dependencies: ["Tensor", "NN", "Optim"], exclude: ["Golden"]),
        .testTarget(name: "OpInfoTests", dependencies: ["Tensor", "NN", "Optim"], exclude: ["Golden"]),
        .testTarget(
            name: "ExamplesTests", dependencies: ["Examples", "Experiments", "Tensor", "NN", "Optim"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
