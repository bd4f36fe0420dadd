import Optim
import Tensor
import Testing

/// Invalid hyperparameters are rejected at construction with PyTorch's messages.
@Suite("Option validation")
struct OptionValidationTests {
    private static func parameter() -> [Tensor<Double>] { [Tensor<Double>.zeros([2], requiresGrad: true)] }

    /// A construction that must fail, and the message it must fail with.
    struct Rejection: CustomTestStringConvertible, Sendable {
        let label: String
        let message: String
        let make: @Sendable () throws -> Void
        var testDescription: String { label }
    }

    static let rejections: [Rejection] = [
        Rejection(label: "SGD lr", message: "SGD: invalid learning rate: -0.1") { _ = try SGD(parameter(), lr: -0.1) },
        Rejection(label: "SGD momentum", message: "SGD: invalid momentum value: -0.5") {
            _ = try SGD(parameter(), momentum: -0.5)
        },
        Rejection(label: "SGD weight decay", message: "SGD: invalid weight_decay value: -1.0") {
            _ = try SGD(parameter(), weightDecay: -1)
        },
        Rejection(label: "SGD nesterov without momentum",
                  message: "SGD: Nesterov momentum requires a momentum and zero dampening (momentum 0.0, dampening 0.0)") {
            _ = try SGD(parameter(), nesterov: true)
        },
        Rejection(label: "SGD nesterov with dampening",
                  message: "SGD: Nesterov momentum requires a momentum and zero dampening (momentum 0.9, dampening 0.1)") {
            _ = try SGD(parameter(), momentum: 0.9, dampening: 0.1, nesterov: true)
        },
        Rejection(label: "Adam lr", message: "Adam: invalid learning rate: -0.001") { _ = try Adam(parameter(), lr: -1e-3) },
        Rejection(label: "Adam eps", message: "Adam: invalid epsilon value: -1e-08") { _ = try Adam(parameter(), eps: -1e-8) },
        Rejection(label: "Adam beta1 = 1", message: "Adam: invalid beta parameter at index 0: 1.0") {
            _ = try Adam(parameter(), betas: (1.0, 0.999))
        },
        Rejection(label: "Adam beta1 < 0", message: "Adam: invalid beta parameter at index 0: -0.1") {
            _ = try Adam(parameter(), betas: (-0.1, 0.999))
        },
        Rejection(label: "Adam beta2", message: "Adam: invalid beta parameter at index 1: 1.5") {
            _ = try Adam(parameter(), betas: (0.9, 1.5))
        },
        Rejection(label: "Adam weight decay", message: "Adam: invalid weight_decay value: -0.01") {
            _ = try Adam(parameter(), weightDecay: -0.01)
        },
        Rejection(label: "AdamW beta2", message: "AdamW: invalid beta parameter at index 1: 1.0") {
            _ = try AdamW(parameter(), betas: (0.9, 1.0))
        },
        Rejection(label: "AdamW weight decay", message: "AdamW: invalid weight_decay value: -0.01") {
            _ = try AdamW(parameter(), weightDecay: -0.01)
        },
        Rejection(label: "Adagrad lr", message: "Adagrad: invalid learning rate: -1.0") { _ = try Adagrad(parameter(), lr: -1) },
        Rejection(label: "Adagrad lr decay", message: "Adagrad: invalid lr_decay value: -0.1") {
            _ = try Adagrad(parameter(), lrDecay: -0.1)
        },
        Rejection(label: "Adagrad weight decay", message: "Adagrad: invalid weight_decay value: -0.1") {
            _ = try Adagrad(parameter(), weightDecay: -0.1)
        },
        Rejection(label: "Adagrad initial accumulator", message: "Adagrad: invalid initial_accumulator_value value: -0.1") {
            _ = try Adagrad(parameter(), initialAccumulatorValue: -0.1)
        },
        Rejection(label: "Adagrad eps", message: "Adagrad: invalid epsilon value: -1e-10") {
            _ = try Adagrad(parameter(), eps: -1e-10)
        },
        Rejection(label: "RMSprop lr", message: "RMSprop: invalid learning rate: -0.01") { _ = try RMSprop(parameter(), lr: -0.01) },
        Rejection(label: "RMSprop eps", message: "RMSprop: invalid epsilon value: -1e-08") {
            _ = try RMSprop(parameter(), eps: -1e-8)
        },
        Rejection(label: "RMSprop momentum", message: "RMSprop: invalid momentum value: -0.9") {
            _ = try RMSprop(parameter(), momentum: -0.9)
        },
        Rejection(label: "RMSprop weight decay", message: "RMSprop: invalid weight_decay value: -0.1") {
            _ = try RMSprop(parameter(), weightDecay: -0.1)
        },
        Rejection(label: "RMSprop alpha", message: "RMSprop: invalid alpha value: -0.5") {
            _ = try RMSprop(parameter(), alpha: -0.5)
        },
        Rejection(label: "group override", message: "SGD: invalid learning rate: -1.0") {
            _ = try SGD([.init(parameter()), .init(parameter()) { $0.lr = -1 }], lr: 0.1)
        },
        Rejection(label: "empty parameter list", message: "SGD: optimizer got an empty parameter list") {
            _ = try SGD([Tensor<Double>](), lr: 0.1)
        },
    ]

    @Test("invalid options throw a typed error with PyTorch's message", arguments: rejections)
    func rejects(_ rejection: Rejection) {
        let error = #expect(throws: OptimizerError.self) { try rejection.make() }
        #expect(error?.description == rejection.message)
    }

    @Test("the coursework's tuned settings are valid")
    func courseworkSettingsAreAccepted() throws {
        let optimizer = try RMSprop(Self.parameter(), lr: 0.4, alpha: 0.5, eps: 1e-18)
        #expect(optimizer.parameterGroups[0].options == RMSpropOptions(lr: 0.4, alpha: 0.5, eps: 1e-18))
        _ = try Adam(Self.parameter(), betas: (0, 0))
        _ = try SGD(Self.parameter(), lr: 0, momentum: 0.9, nesterov: true)
    }

    @Test("non-leaf and repeated parameters are rejected")
    func rejectsBadParameters() throws {
        let w = Tensor<Double>.ones([2], requiresGrad: true)
        let computed = w * 2
        #expect(throws: OptimizerError.nonLeafParameter(optimizer: "Adam", group: 0, index: 1)) {
            try Adam([w, computed])
        }
        #expect(throws: OptimizerError.duplicateParameter(optimizer: "SGD", group: 0, index: 1)) {
            try SGD([w, w], lr: 0.1)
        }
        #expect(throws: OptimizerError.duplicateParameter(optimizer: "SGD", group: 1, index: 0)) {
            try SGD([.init([w]), .init([w])], lr: 0.1)
        }
        let optimizer = try SGD([w], lr: 0.1)
        #expect(throws: OptimizerError.duplicateParameter(optimizer: "SGD", group: 1, index: 0)) {
            try optimizer.addParameterGroup(.init([w]))
        }
        #expect(optimizer.parameterGroups.count == 1, "a rejected group must not be added")
    }
}
