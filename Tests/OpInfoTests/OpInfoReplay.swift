import Foundation
import NN
import Optim
import Tensor

/// One result of a replayed case.
enum ReplayOutput<Scalar: TensorFloatingPoint> {
    /// A floating-point tensor; its gradient weight enters the backward pass.
    case float(Tensor<Scalar>)
    /// An integer tensor (indices).
    case integer(Tensor<Int>)
    /// Values computed in `Double` whatever `Scalar` is (learning rates).
    case doubles(shape: [Int], values: [Double])
}

/// What the replay of a case produced: its outputs, and the tensors whose gradients stand for
/// the case's inputs (the inputs themselves, unless an op copies them into a module).
struct Replay<Scalar: TensorFloatingPoint> {
    var outputs: [ReplayOutput<Scalar>]
    var differentiated: [Tensor<Scalar>]? = nil

    init(_ outputs: [Tensor<Scalar>]) { self.outputs = outputs.map { .float($0) } }

    init(outputs: [ReplayOutput<Scalar>], differentiated: [Tensor<Scalar>]? = nil) {
        self.outputs = outputs
        self.differentiated = differentiated
    }
}

/// The replay table: one entry per op of `Golden/make_opinfo_golden.py`, calling this library
/// the way the generator calls PyTorch. `x` are the floating-point inputs (leaves that require
/// a gradient unless constant), `i` the integer inputs.
enum OpInfoReplay {
    // One switch is the table: its length is the number of ops.
    static func run<S: TensorFloatingPoint>(_ c: OpInfoCase, _ x: [Tensor<S>], _ i: [Tensor<Int>]) throws -> Replay<S> {
        switch c.op {
        // Elementwise
        case "neg": return Replay([-x[0]])
        case "exp": return Replay([x[0].exp()])
        case "log": return Replay([x[0].log()])
        case "sqrt": return Replay([x[0].sqrt()])
        case "abs": return Replay([x[0].abs()])
        case "tanh": return Replay([x[0].tanh()])
        case "sigmoid": return Replay([x[0].sigmoid()])
        case "relu": return Replay([x[0].relu()])
        case "square": return Replay([x[0].square()])
        case "logSigmoid": return Replay([logSigmoid(x[0])])
        case "silu": return Replay([silu(x[0])])
        case "leakyReLU": return Replay([leakyReLU(x[0], negativeSlope: S(try c.double("slope")))])
        case "elu": return Replay([elu(x[0], alpha: S(try c.double("alpha")))])
        case "softplus": return Replay([softplus(x[0], beta: S(try c.double("beta")), threshold: S(try c.double("threshold")))])
        case "clamp":
            return Replay([x[0].clamp(min: c.optionalDouble("min").map { S($0) }, max: c.optionalDouble("max").map { S($0) })])
        case "clampTensor":
            let lower: Tensor<S>? = try c.bool("hasMin") ? x[1] : nil
            let upper: Tensor<S>? = try c.bool("hasMax") ? x[x.count - 1] : nil
            return Replay([x[0].clamp(min: lower, max: upper)])
        case "powScalar": return Replay([x[0].pow(S(try c.double("exponent")))])
        case "add": return Replay([x[0] + x[1]])
        case "sub": return Replay([x[0] - x[1]])
        case "mul": return Replay([x[0] * x[1]])
        case "div": return Replay([x[0] / x[1]])
        case "pow": return Replay([x[0].pow(x[1])])
        case "maximum": return Replay([x[0].maximum(x[1])])
        case "minimum": return Replay([x[0].minimum(x[1])])
        case "addScalar": return Replay([x[0] + S(try c.double("s"))])
        case "subScalar": return Replay([x[0] - S(try c.double("s"))])
        case "rsubScalar": return Replay([S(try c.double("s")) - x[0]])
        case "mulScalar": return Replay([x[0] * S(try c.double("s"))])
        case "divScalar": return Replay([x[0] / S(try c.double("s"))])
        case "rdivScalar": return Replay([S(try c.double("s")) / x[0]])
        case "where":
            let mask = Tensor<Bool>(shape: i[0].shape, scalars: i[0].scalars.map { $0 != 0 })
            return Replay([x[0].where(mask, x[1])])
        case "softmax": return Replay([x[0].softmax(axis: try c.int("axis"))])
        case "logSoftmax": return Replay([x[0].logSoftmax(axis: try c.int("axis"))])

        // Reductions
        case "sum": return Replay([x[0].sum(axes: try c.ints("axes"), keepDim: try c.bool("keepDim"))])
        case "mean": return Replay([x[0].mean(axes: try c.ints("axes"), keepDim: try c.bool("keepDim"))])
        case "logSumExp": return Replay([x[0].logSumExp(axes: try c.ints("axes"), keepDim: try c.bool("keepDim"))])
        case "maxAll": return Replay([x[0].max()])
        case "minAll": return Replay([x[0].min()])
        case "maxAxis", "minAxis":
            let (axis, keepDim) = (try c.int("axis"), try c.bool("keepDim"))
            let (values, indices) = c.op == "maxAxis" ? x[0].max(axis: axis, keepDim: keepDim) : x[0].min(axis: axis, keepDim: keepDim)
            return Replay(outputs: [.float(values), .integer(indices)])
        case "argmax": return Replay(outputs: [.integer(x[0].argmax())])

        case "prod":
            guard let axis = c.optionalInt("axis") else { return Replay([x[0].prod()]) }
            return Replay([x[0].prod(axis: axis, keepDim: try c.bool("keepDim"))])
        case "cumsum": return Replay([x[0].cumsum(axis: try c.int("axis"))])
        case "cumprod": return Replay([x[0].cumprod(axis: try c.int("axis"))])
        case "logcumsumexp": return Replay([x[0].logcumsumexp(axis: try c.int("axis"))])
        case "var":
            return Replay([x[0].var(axes: integerArray(c.options["axes"]), correction: try c.int("correction"), keepDim: try c.bool("keepDim"))])
        case "std":
            return Replay([x[0].std(axes: integerArray(c.options["axes"]), correction: try c.int("correction"), keepDim: try c.bool("keepDim"))])
        case "norm": return Replay([x[0].norm(S(try c.double("p")), axes: integerArray(c.options["axes"]), keepDim: try c.bool("keepDim"))])
        case "amax": return Replay([x[0].amax(axes: integerArray(c.options["axes"]), keepDim: try c.bool("keepDim"))])
        case "amin": return Replay([x[0].amin(axes: integerArray(c.options["axes"]), keepDim: try c.bool("keepDim"))])
        case "argmin": return Replay(outputs: [.integer(x[0].argmin())])
        case "sort":
            let (values, indices) = x[0].sort(axis: try c.int("axis"), descending: try c.bool("descending"))
            return Replay(outputs: [.float(values), .integer(indices)])
        case "argsort": return Replay(outputs: [.integer(x[0].argsort(axis: try c.int("axis"), descending: try c.bool("descending")))])
        case "topk":
            let (values, indices) = x[0].topk(try c.int("k"), axis: try c.int("axis"), largest: try c.bool("largest"))
            return Replay(outputs: [.float(values), .integer(indices)])

        // Products
        case "matmul": return Replay([x[0].matmul(x[1])])
        case "mm": return Replay([x[0].mm(x[1])])
        case "bmm": return Replay([x[0].bmm(x[1])])
        case "mv": return Replay([x[0].mv(x[1])])
        case "dot": return Replay([x[0].dot(x[1])])
        case "outer": return Replay([x[0].outer(x[1])])
        case "powScalarBase": return Replay([Tensor.pow(S(try c.double("base")), x[0])])
        case "gelu":
            guard let approximate = GELUApproximation(rawValue: try c.string("approximate")) else {
                throw OpInfoError.malformed("approximate")
            }
            return Replay([x[0].gelu(approximate: approximate)])
        case "layerNorm":
            let (affine, hasBias) = (try c.bool("affine"), try c.bool("bias"))
            return Replay([
                layerNorm(
                    x[0], normalizedShape: try c.ints("normalizedShape"), weight: affine ? x[1] : nil,
                    bias: affine && hasBias ? x[2] : nil, eps: try c.double("eps"))
            ])
        case "maskedFill":
            let mask = Tensor<Bool>(shape: i[0].shape, scalars: i[0].scalars.map { $0 != 0 })
            return Replay([x[0].maskedFill(mask, S(try c.double("value")))])
        case "scaledDotProductAttention":
            return Replay([
                Tensor.scaledDotProductAttention(
                    query: x[0], key: x[1], value: x[2], isCausal: try c.bool("isCausal"), scale: c.optionalDouble("scale").map { S($0) })
            ])
        case "linear": return Replay([linear(x[0], weight: x[1], bias: x.count > 2 ? x[2] : nil)])

        // Shapes
        case "reshape": return Replay([x[0].reshape(try c.ints("shape"))])
        case "permute": return Replay([x[0].permute(try c.ints("order"))])
        case "transposed": return Replay([x[0].transposed(try c.int("a0"), try c.int("a1"))])
        case "squeeze": return Replay([x[0].squeeze(axes: try c.ints("axes"))])
        case "squeezeAll": return Replay([x[0].squeeze()])
        case "unsqueeze": return Replay([x[0].unsqueeze(try c.int("axis"))])
        case "flatten": return Replay([x[0].flatten(startAxis: try c.int("start"), endAxis: try c.int("end"))])
        case "expand": return Replay([x[0].expand(to: try c.ints("shape"))])
        case "flip": return Replay([x[0].flip(try c.ints("axes"))])
        case "roll": return Replay([x[0].roll(try c.ints("shifts"), axes: try c.ints("axes"))])
        case "repeat": return Replay([x[0].repeat(try c.ints("counts"))])
        case "tile": return Replay([x[0].tile(try c.ints("counts"))])
        case "movedim": return Replay([x[0].movedim(try c.ints("source"), try c.ints("destination"))])
        case "unflatten": return Replay([x[0].unflatten(axis: try c.int("axis"), sizes: try c.ints("sizes"))])
        case "tril": return Replay([x[0].tril(diagonal: try c.int("diagonal"))])
        case "triu": return Replay([x[0].triu(diagonal: try c.int("diagonal"))])
        case "cat": return Replay([Tensor.cat(x, axis: try c.int("axis"))])
        case "stack": return Replay([Tensor.stack(x, axis: try c.int("axis"))])
        case "split":
            let axis = try c.int("axis")
            if let size = c.optionalInt("size") { return Replay(x[0].split(size: size, axis: axis)) }
            return Replay(x[0].split(sizes: try c.ints("sizes"), axis: axis))
        case "chunk": return Replay(x[0].chunk(try c.int("chunks"), axis: try c.int("axis")))
        case "narrow":
            return Replay([x[0].narrow(axis: try c.int("axis"), start: try c.int("start"), length: try c.int("length"))])
        case "select": return Replay([x[0].select(axis: try c.int("axis"), index: try c.int("index"))])
        case "unbind": return Replay(x[0].unbind(axis: try c.int("axis")))

        // Indexing
        case "gather": return Replay([x[0].gather(axis: try c.int("axis"), index: i[0])])
        case "scatterAdd": return Replay([x[0].scatterAdd(axis: try c.int("axis"), index: i[0], source: x[1])])
        case "indexSelect": return Replay([x[0].indexSelect(axis: try c.int("axis"), index: i[0])])
        case "indexAdd": return Replay([x[0].indexAdd(axis: try c.int("axis"), index: i[0], source: x[1])])

        // Layers
        case "embedding": return Replay([embedding(i[0], weight: x[0], paddingIndex: c.optionalInt("paddingIndex"))])
        case "recurrent": return try recurrent(c, x)
        case "recurrentCell": return try recurrentCell(c, x)

        // Losses
        case "crossEntropy":
            return Replay([
                crossEntropy(
                    x[0], i[0], weight: try c.bool("hasWeight") ? x[1] : nil, ignoreIndex: try c.int("ignoreIndex"),
                    reduction: try reduction(c), labelSmoothing: try c.double("labelSmoothing"))
            ])
        case "crossEntropyProbabilities":
            return Replay([
                crossEntropy(
                    x[0], x[1], weight: try c.bool("hasWeight") ? x[2] : nil, reduction: try reduction(c),
                    labelSmoothing: try c.double("labelSmoothing"))
            ])
        case "nllLoss":
            return Replay([
                nllLoss(
                    x[0], i[0], weight: try c.bool("hasWeight") ? x[1] : nil, ignoreIndex: try c.int("ignoreIndex"),
                    reduction: try reduction(c))
            ])
        case "mseLoss": return Replay([mseLoss(x[0], x[1], reduction: try reduction(c))])
        case "bceWithLogits":
            return Replay([
                binaryCrossEntropyWithLogits(
                    x[0], x[1], weight: try c.bool("hasWeight") ? x[2] : nil, reduction: try reduction(c),
                    posWeight: try c.bool("hasPosWeight") ? x[x.count - 1] : nil)
            ])

        // Optimizers, schedulers, clipping
        case "optimizer": return try OptimizerReplay.run(c, x)
        case "schedulers": return try SchedulerReplay.run(c)
        case "clipGradNorm", "clipGradValue":
            let parameters = x.map { Tensor<S>.zeros($0.shape, requiresGrad: true) }
            for (parameter, gradient) in zip(parameters, x) { parameter.grad = gradient.copy() }
            var outputs: [Tensor<S>] = []
            if c.op == "clipGradNorm" {
                let (maxNorm, normType) = (S(try c.double("maxNorm")), S(try c.double("normType")))
                outputs.append(Tensor(scalar: clipGradNorm(parameters, maxNorm: maxNorm, normType: normType)))
            } else {
                clipGradValue(parameters, clipValue: S(try c.double("clipValue")))
            }
            return Replay(outputs + parameters.map { $0.grad! })
        default:
            throw OpInfoError.unknownOp(c.op)
        }
    }

    private static func reduction(_ c: OpInfoCase) throws -> Reduction {
        guard let value = Reduction(rawValue: try c.string("reduction")) else { throw OpInfoError.malformed("reduction") }
        return value
    }

    /// Copies the case's parameter values into `module`'s parameters of the same names and
    /// returns those parameters, in the case's order.
    private static func load<S: TensorFloatingPoint>(_ module: Module<S>, names: [String], values: ArraySlice<Tensor<S>>)
        throws -> [Tensor<S>]
    {
        let parameters = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter) })
        return try zip(names, values).map { name, value in
            guard let parameter = parameters[name], parameter.shape == value.shape else {
                throw OpInfoError.malformed("parameter \(name) of shape \(value.shape)")
            }
            let source = value.scalars
            parameter.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] = source[k] } }
            return parameter
        }
    }

    private static func recurrent<S: TensorFloatingPoint>(_ c: OpInfoCase, _ x: [Tensor<S>]) throws -> Replay<S> {
        let names = c.options["parameters"] as? [String] ?? []
        let (inputSize, hiddenSize, layers) = (try c.int("inputSize"), try c.int("hiddenSize"), try c.int("layers"))
        let (bias, batchFirst, bidirectional) = (try c.bool("bias"), try c.bool("batchFirst"), try c.bool("bidirectional"))
        let states = Array(x[1..<(x.count - names.count)])
        let values = x[(x.count - names.count)...]
        let outputs: [Tensor<S>], parameters: [Tensor<S>]
        switch try c.string("kind") {
        case "RNN":
            let nonlinearity = RecurrentActivation(rawValue: try c.string("nonlinearity")) ?? .tanh
            let rnn = RNN<S>(
                inputSize, hiddenSize, numLayers: layers, nonlinearity: nonlinearity, bias: bias, batchFirst: batchFirst,
                bidirectional: bidirectional)
            parameters = try load(rnn, names: names, values: values)
            let (output, hidden) = rnn(x[0], states.first)
            outputs = [output, hidden]
        case "LSTM":
            let lstm = LSTM<S>(inputSize, hiddenSize, numLayers: layers, bias: bias, batchFirst: batchFirst, bidirectional: bidirectional)
            parameters = try load(lstm, names: names, values: values)
            let (output, hidden) = lstm(x[0], states.isEmpty ? nil : (states[0], states[1]))
            outputs = [output, hidden.h, hidden.c]
        default:
            let gru = GRU<S>(inputSize, hiddenSize, numLayers: layers, bias: bias, batchFirst: batchFirst, bidirectional: bidirectional)
            parameters = try load(gru, names: names, values: values)
            let (output, hidden) = gru(x[0], states.first)
            outputs = [output, hidden]
        }
        return Replay(outputs: outputs.map { .float($0) }, differentiated: [x[0]] + states + parameters)
    }

    private static func recurrentCell<S: TensorFloatingPoint>(_ c: OpInfoCase, _ x: [Tensor<S>]) throws -> Replay<S> {
        let names = c.options["parameters"] as? [String] ?? []
        let (inputSize, hiddenSize, bias) = (try c.int("inputSize"), try c.int("hiddenSize"), try c.bool("bias"))
        let states = Array(x[1..<(x.count - names.count)])
        let values = x[(x.count - names.count)...]
        let outputs: [Tensor<S>], parameters: [Tensor<S>]
        switch try c.string("kind") {
        case "RNNCell":
            let nonlinearity = RecurrentActivation(rawValue: try c.string("nonlinearity")) ?? .tanh
            let cell = RNNCell<S>(inputSize, hiddenSize, bias: bias, nonlinearity: nonlinearity)
            parameters = try load(cell, names: names, values: values)
            outputs = [cell(x[0], states.first)]
        case "LSTMCell":
            let cell = LSTMCell<S>(inputSize, hiddenSize, bias: bias)
            parameters = try load(cell, names: names, values: values)
            let (h, cState) = cell(x[0], states.isEmpty ? nil : (states[0], states[1]))
            outputs = [h, cState]
        default:
            let cell = GRUCell<S>(inputSize, hiddenSize, bias: bias)
            parameters = try load(cell, names: names, values: values)
            outputs = [cell(x[0], states.first)]
        }
        return Replay(outputs: outputs.map { .float($0) }, differentiated: [x[0]] + states + parameters)
    }
}
