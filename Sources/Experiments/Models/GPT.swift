import Foundation
import NN
import Tensor

/// The sizes of a ``GPT`` (nanoGPT's `GPTConfig`).
public struct GPTConfig: Equatable, Sendable {
    /// The number of token ids (characters).
    public var vocabSize: Int
    /// The longest context, the rows of the position table.
    public var blockSize: Int
    /// The number of transformer blocks.
    public var nLayer: Int
    /// The number of attention heads; divides ``nEmbd``.
    public var nHead: Int
    /// The width of the residual stream.
    public var nEmbd: Int
    /// Whether Linear and LayerNorm layers have biases.
    public var bias: Bool
    /// The dropout probability (after the attention probabilities, each `c_proj`, the embeddings).
    public var dropout: Double

    /// A configuration; the defaults are nanoGPT's `shakespeare_char` CPU run.
    public init(
        vocabSize: Int, blockSize: Int = 64, nLayer: Int = 4, nHead: Int = 4, nEmbd: Int = 128, bias: Bool = false,
        dropout: Double = 0
    ) {
        check(vocabSize > 0 && blockSize > 0 && nLayer >= 0 && nHead > 0 && nEmbd > 0, "GPTConfig: sizes must be positive")
        check(nEmbd % nHead == 0, "GPTConfig: nEmbd \(nEmbd) is not a multiple of nHead \(nHead)")
        check(dropout >= 0 && dropout < 1, "GPTConfig: dropout must be in [0, 1), got \(dropout)")
        self.vocabSize = vocabSize
        self.blockSize = blockSize
        self.nLayer = nLayer
        self.nHead = nHead
        self.nEmbd = nEmbd
        self.bias = bias
        self.dropout = dropout
    }
}

/// Causal multi-head self-attention (nanoGPT's `CausalSelfAttention`): one projection `c_attn`
/// to queries, keys and values, heads as a batch dimension, causal scaled dot-product
/// attention, and the output projection `c_proj`.
public final class CausalSelfAttention<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// x → [q, k, v]: `C → 3C` (key `c_attn`).
    public let cAttn: Linear<Scalar>
    /// The heads' concatenated outputs → residual stream: `C → C` (key `c_proj`).
    public let cProj: Linear<Scalar>
    /// Dropout after `c_proj` (key `resid_dropout`, no parameters).
    public let residDropout: Dropout<Scalar>
    let heads: Int
    let dropout: Double
    let generator: Generator

    init(_ config: GPTConfig, generator: Generator) {
        cAttn = Linear(config.nEmbd, 3 * config.nEmbd, bias: config.bias, generator: generator)
        cProj = Linear(config.nEmbd, config.nEmbd, bias: config.bias, generator: generator)
        residDropout = Dropout(p: config.dropout, generator: generator)
        heads = config.nHead
        dropout = config.dropout
        self.generator = generator
    }

    /// PyTorch's keys.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        [("c_attn", cAttn), ("c_proj", cProj), ("resid_dropout", residDropout)]
    }

    /// `[B, T, C]` → `[B, T, C]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        // [B, T, 3C] → the heads' outputs side by side, [B, T, C]: the split into q, k, v and
        // the heads as a batch dimension without copies (see `packedSelfAttention`).
        let y = Tensor.packedSelfAttention(
            cAttn(x), heads: heads, isCausal: true, dropoutP: isTraining ? dropout : 0, generator: generator)
        return residDropout(cProj(y))
    }
}

/// The feed-forward part of a block: `c_fc` (C → 4C), GELU (erf), `c_proj` (4C → C), dropout.
public final class MLP<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// `C → 4C` (key `c_fc`).
    public let cFc: Linear<Scalar>
    /// The exact GELU (key `gelu`, no parameters).
    public let gelu = GELU<Scalar>()
    /// `4C → C` (key `c_proj`).
    public let cProj: Linear<Scalar>
    /// Dropout at the end (key `dropout`).
    public let dropout: Dropout<Scalar>

    init(_ config: GPTConfig, generator: Generator) {
        cFc = Linear(config.nEmbd, 4 * config.nEmbd, bias: config.bias, generator: generator)
        cProj = Linear(4 * config.nEmbd, config.nEmbd, bias: config.bias, generator: generator)
        dropout = Dropout(p: config.dropout, generator: generator)
    }

    /// PyTorch's keys.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        [("c_fc", cFc), ("gelu", gelu), ("c_proj", cProj), ("dropout", dropout)]
    }

    /// `[..., C]` → `[..., C]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { dropout(cProj(gelu(cFc(x)))) }
}

/// A transformer block with pre-normalisation: x + attn(ln_1(x)), then + mlp(ln_2(x)).
public final class Block<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// Normalises the attention's input (key `ln_1`).
    public let ln1: LayerNorm<Scalar>
    /// Causal self-attention (key `attn`).
    public let attn: CausalSelfAttention<Scalar>
    /// Normalises the MLP's input (key `ln_2`).
    public let ln2: LayerNorm<Scalar>
    /// The feed-forward network (key `mlp`).
    public let mlp: MLP<Scalar>

    init(_ config: GPTConfig, generator: Generator) {
        ln1 = LayerNorm(config.nEmbd, bias: config.bias)
        attn = CausalSelfAttention(config, generator: generator)
        ln2 = LayerNorm(config.nEmbd, bias: config.bias)
        mlp = MLP(config, generator: generator)
    }

    /// PyTorch's keys.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        [("ln_1", ln1), ("attn", attn), ("ln_2", ln2), ("mlp", mlp)]
    }

    /// `[B, T, C]` → `[B, T, C]`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let x = x + attn(ln1(x))
        return x + mlp(ln2(x))
    }
}

/// A GPT language model as nanoGPT's `model.py` builds it, with its state-dict keys:
///
/// ```
/// transformer.wte   Embedding(V, C), tied to lm_head.weight
/// transformer.wpe   Embedding(blockSize, C)
/// transformer.drop  Dropout
/// transformer.h.i   Block: ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj
/// transformer.ln_f  LayerNorm
/// lm_head           Linear(C, V, bias: false)
/// ```
///
/// The token embedding and the output head share one tensor: it is listed once by
/// ``Module/parameters()`` (as `transformer.wte.weight`) and under both keys in
/// ``Module/stateDict()``.
public final class GPT<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The sizes.
    public let config: GPTConfig
    /// `wte`, `wpe`, `drop`, `h`, `ln_f` (key `transformer`).
    public let transformer: ModuleDict<Scalar>
    /// The token embedding (`transformer.wte`).
    public let wte: Embedding<Scalar>
    /// The position embedding (`transformer.wpe`).
    public let wpe: Embedding<Scalar>
    /// Dropout after the embedding sum (`transformer.drop`).
    public let drop: Dropout<Scalar>
    /// The blocks (`transformer.h`).
    public let h: ModuleList<Scalar, Block<Scalar>>
    /// The final normalisation (`transformer.ln_f`).
    public let lnF: LayerNorm<Scalar>
    /// Residual stream → logits, sharing its weight with ``wte`` (key `lm_head`).
    public let lmHead: Linear<Scalar>

    /// A model initialised as nanoGPT (and `torch_gpt.py`) initialise it after
    /// `torch.manual_seed(seed)`, drawing from `generator`: every layer is built with PyTorch's
    /// default initialisation in construction order (kept for the random stream), then every
    /// Linear and Embedding weight, in ``Module/modules()`` order (the tied weight twice), is
    /// redrawn from N(0, 0.02), biases zeroed, and the `c_proj` weights redrawn from
    /// N(0, 0.02 / √(2 nLayer)). Draws are in `Float`, as PyTorch's before `.to(dtype)`.
    public init(_ config: GPTConfig, generator: Generator = .default) {
        self.config = config
        wte = Embedding(config.vocabSize, config.nEmbd, generator: generator)
        wpe = Embedding(config.blockSize, config.nEmbd, generator: generator)
        drop = Dropout(p: config.dropout, generator: generator)
        h = ModuleList((0..<config.nLayer).map { _ in Block(config, generator: generator) })
        lnF = LayerNorm(config.nEmbd, bias: config.bias)
        // nn.Linear(C, V, bias=False) draws its own weight before the tie replaces it.
        _ = Linear<Scalar>(config.nEmbd, config.vocabSize, bias: false, generator: generator)
        lmHead = Linear(weight: wte.weight)
        transformer = ModuleDict([("wte", wte), ("wpe", wpe), ("drop", drop), ("h", h), ("ln_f", lnF)])
        super.init()
        for module in modules() {
            if let linear = module as? Linear<Scalar> {
                Self.drawNormal(linear.weight, std: 0.02, generator: generator)
                if let bias = linear.bias { Init.zeros(bias) }
            } else if let embedding = module as? Embedding<Scalar> {
                Self.drawNormal(embedding.weight, std: 0.02, generator: generator)
            }
        }
        for (name, parameter) in namedParameters() where name.hasSuffix("c_proj.weight") {
            Self.drawNormal(parameter, std: 0.02 / (2 * Double(config.nLayer)).squareRoot(), generator: generator)
        }
    }

    /// The state-dict keys and shapes of a model of `config`, in state-dict order, computed
    /// without building it (a checkpoint is checked against them before a model of its claimed
    /// size is allocated). The tied weight is listed under both its keys.
    public static func parameterShapes(_ config: GPTConfig) -> [(key: String, shape: [Int])] {
        let (v, c) = (config.vocabSize, config.nEmbd)
        func linear(_ name: String, _ output: Int, _ input: Int) -> [(key: String, shape: [Int])] {
            [(name + ".weight", [output, input])] + (config.bias ? [(name + ".bias", [output])] : [])
        }
        func norm(_ name: String) -> [(key: String, shape: [Int])] {
            [(name + ".weight", [c])] + (config.bias ? [(name + ".bias", [c])] : [])
        }
        var shapes: [(key: String, shape: [Int])] = [("transformer.wte.weight", [v, c]), ("transformer.wpe.weight", [config.blockSize, c])]
        for layer in 0..<config.nLayer {
            let block = "transformer.h.\(layer)."
            shapes += norm(block + "ln_1") + linear(block + "attn.c_attn", 3 * c, c) + linear(block + "attn.c_proj", c, c)
            shapes += norm(block + "ln_2") + linear(block + "mlp.c_fc", 4 * c, c) + linear(block + "mlp.c_proj", c, 4 * c)
        }
        return shapes + norm("transformer.ln_f") + [("lm_head.weight", [v, c])]
    }

    /// `transformer` and `lm_head`, PyTorch's keys.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        [("transformer", transformer), ("lm_head", lmHead)]
    }

    /// The logits `[B, T, V]` of the next token after each position of `tokens` `[B, T]`.
    ///
    /// - Precondition: T <= ``GPTConfig/blockSize``.
    public func callAsFunction(_ tokens: Tensor<Int>) -> Tensor<Scalar> {
        check(tokens.rank == 2, "GPT: expected token ids of shape [B, T], got \(tokens.shape)")
        let t = tokens.shape[1]
        check(t <= config.blockSize, "GPT: cannot forward a sequence of length \(t), block size is only \(config.blockSize)")
        var x = drop(wte(tokens) + wpe(Tensor<Int>(Array(0..<t))))
        for block in h { x = block(x) }
        return lmHead(lnF(x))
    }

    /// The parameters in nanoGPT's two AdamW groups: those of rank >= 2 (weight decay), then the
    /// rest (none), each in ``Module/parameters()`` order.
    public var decayGroups: (decay: [Tensor<Scalar>], noDecay: [Tensor<Scalar>]) {
        let all = parameters()
        return (all.filter { $0.rank >= 2 }, all.filter { $0.rank < 2 })
    }

    /// Overwrites `tensor` with N(0, std²) samples drawn in `Float` from `generator`.
    private static func drawNormal(_ tensor: Tensor<Scalar>, std: Double, generator: Generator) {
        let values = Tensor<Float>.normal(tensor.shape, mean: 0, std: Float(std), generator: generator)
        tensor.assign(values.converted(to: Scalar.self))
    }
}
