import Experiments
import Foundation
import NN
import Optim
import Tensor

/// `examples from-scratch`: the coursework's other half — the RNN's forward and backward pass
/// derived by hand and written with plain tensor operations, no autograd; checked against
/// autograd, then used to train.
enum FromScratchCommand: Command {
    static let name = "from-scratch"
    static let summary = "hand-derived forward/backward (no autograd), checked against autograd, then trained"
    static var options: [OptionSpec] { TaskOptions.specs(defaults, excluding: ["--save", "--save-every", "--losses"]) }
    /// Adam lr 0.01, 300 epochs.
    static let defaults = TaskOptions.Defaults(optimizer: OptimizerSpec(.adam, lr: 0.01), epochs: 300)

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults)
        guard task.layers == 1 else { throw .usage("from-scratch derives a single-layer RNN: use --layers 1") }
        return task.double ? try run(task, Double.self, console) : try run(task, Float.self, console)
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        let task: CharTask<Scalar>
        do { task = try CharTask(text: options.text) } catch { throw .runtime(error.description) }
        let model = CharRNN<Scalar>(
            vocabularySize: task.vocabulary.count, hiddenSize: options.hidden, nonlinearity: options.nonlinearity,
            bias: options.bias, generator: Generator(seed: options.seed))
        if let path = options.initPath {
            try loadWeights(into: model, from: path, vocabulary: task.vocabulary, nonlinearity: options.nonlinearity)
        }

        // 1. The hand-derived gradients against autograd's, at the initial weights.
        let manual = ManualRNN(model)
        let (_, gradients) = manual.lossAndGradients(task)
        model.zeroGrad()
        model.loss(on: task).backward()
        console.print("worst |manual - autograd| gradient difference per parameter:")
        var worst = 0.0
        for (name, parameter) in model.namedParameters() {
            let difference = zip(gradients[name]!.scalars, parameter.grad!.scalars)
                .map { Swift.abs(($0 - $1).doubleValue) }.max() ?? 0
            worst = Swift.max(worst, difference)
            console.print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(format: "%.3e", difference))")
        }

        // 2. Training with them: the optimizer consumes the manual gradients.
        let optimizer: any Optimizer<Scalar>
        do { optimizer = try options.optimizer.make(model.parameters()) } catch { throw .usage(error.description) }
        var losses: [Double] = []
        let started = Date()
        for epoch in 1...options.epochs {
            let (loss, gradients) = manual.lossAndGradients(task)
            guard loss.isFinite else { throw .runtime("loss is \(loss.isNaN ? "nan" : "\(loss)") at epoch \(epoch)") }
            for (name, parameter) in model.namedParameters() { parameter.grad = gradients[name] }
            if let clip = options.clip { clipGradValue(model.parameters(), clipValue: Scalar(clip)) }
            optimizer.step()
            losses.append(loss)
            console.progress("epoch", step: epoch, total: options.epochs, loss: loss, started: started)
        }
        let seconds = Date().timeIntervalSince(started)
        let prediction = greedyPrediction(model, task)
        console.print("trained \(options.epochs) epochs with hand-derived gradients: final loss \(String(format: "%.6f", losses.last!))")
        console.print("prediction: \(prediction)")
        return .object([
            ("max_gradient_difference", .number(worst)),
            ("prediction", .string(prediction)),
            ("final_loss", .number(losses.last!)),
            ("epochs", .integer(losses.count)),
            ("train_seconds", .number(seconds)),
        ])
    }
}

/// The single-layer character RNN's loss and gradients, derived by hand:
///
/// forward, for t = 1...T (x_t one-hot, h_0 = 0):
///
///     h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   ŷ_t = softmax(W_fc h_t + b_fc)
///     L = -(1/T) Σ_t log ŷ_t[y_t]
///
/// backward (δ_t = dL/d(pre-activation) at step t):
///
///     dL/d(logits_t) = (ŷ_t - y_t) / T
///     dL/dW_fc = Σ_t (ŷ_t - y_t)/T h_tᵀ,      dL/db_y = Σ_t (ŷ_t - y_t) / T
///     dh_t = W_fcᵀ (ŷ_t - y_t)/T + W_hhᵀ δ_{t+1}   (the recursion, δ_{T+1} = 0)
///     δ_t = dh_t ⊙ act'(h_t)
///     dL/dW_ih = Σ_t δ_t x_tᵀ,  dL/dW_hh = Σ_t δ_t h_{t-1}ᵀ,  dL/db_h = Σ_t δ_t  (for b_ih and b_hh)
struct ManualRNN<Scalar: TensorFloatingPoint> {
    let model: CharRNN<Scalar>

    init(_ model: CharRNN<Scalar>) { self.model = model }

    /// The loss and every parameter's gradient, keyed like `namedParameters()`.
    func lossAndGradients(_ task: CharTask<Scalar>) -> (loss: Double, gradients: [String: Tensor<Scalar>]) {
        withNoGrad {
            let p = Dictionary(model.namedParameters().map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
            let (wih, whh, wfc) = (p["rnn.weight_ih_l0"]!, p["rnn.weight_hh_l0"]!, p["fc.weight"]!)
            let (bih, bhh, bfc) = (p["rnn.bias_ih_l0"], p["rnn.bias_hh_l0"], p["fc.bias"])
            let relu = model.rnn.nonlinearity == .relu
            let vocabulary = task.vocabulary.count, steps = task.length - 1
            let hiddenSize = whh.shape[0]
            func oneHot(_ index: Int) -> Tensor<Scalar> { Tensor<Scalar>.oneHot(Tensor<Int>([index]), classes: vocabulary) }

            // Forward, keeping every h_t (row vectors [1, H]) and every ŷ_t.
            var hidden = [Tensor<Scalar>.zeros([1, hiddenSize])]
            var probabilities: [Tensor<Scalar>] = []
            var loss = 0.0
            for t in 0..<steps {
                var z = oneHot(task.indices[t]).matmul(wih.T) + hidden[t].matmul(whh.T)
                if let bih, let bhh { z = z + bih + bhh }
                hidden.append(relu ? z.relu() : z.tanh())
                var logits = hidden[t + 1].matmul(wfc.T)
                if let bfc { logits = logits + bfc }
                let probability = logits.softmax(axis: 1)
                probabilities.append(probability)
                loss -= probability.scalars[task.indices[t + 1]].doubleValue.logValue
            }
            loss /= Double(steps)

            // Backward through time.
            var dWih = Tensor<Scalar>.zeros(wih.shape), dWhh = Tensor<Scalar>.zeros(whh.shape)
            var dWfc = Tensor<Scalar>.zeros(wfc.shape), dbh = Tensor<Scalar>.zeros([1, hiddenSize])
            var dby = Tensor<Scalar>.zeros([1, vocabulary])
            var dhNext = Tensor<Scalar>.zeros([1, hiddenSize])
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let dy = (probabilities[t] - oneHot(task.indices[t + 1])) / Scalar(steps)
                dWfc = dWfc + dy.T.matmul(hidden[t + 1])
                dby = dby + dy
                let dh = dy.matmul(wfc) + dhNext
                let h = hidden[t + 1]
                let delta = relu ? dh * h.map01() : dh * (1 - h * h)
                dWih = dWih + delta.T.matmul(oneHot(task.indices[t]))
                dWhh = dWhh + delta.T.matmul(hidden[t])
                dbh = dbh + delta
                dhNext = delta.matmul(whh)
            }
            var gradients = ["rnn.weight_ih_l0": dWih, "rnn.weight_hh_l0": dWhh, "fc.weight": dWfc]
            if bih != nil {
                gradients["rnn.bias_ih_l0"] = dbh.reshape(-1)
                gradients["rnn.bias_hh_l0"] = dbh.reshape(-1).copy()
                gradients["fc.bias"] = dby.reshape(-1)
            }
            return (loss, gradients)
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// 1 where the element is positive, else 0 (the derivative of relu at its output).
    fileprivate func map01() -> Tensor { (self .> 0).converted(to: Scalar.self) }
}

extension Double {
    /// The natural logarithm.
    fileprivate var logValue: Double { Foundation.log(self) }
}
