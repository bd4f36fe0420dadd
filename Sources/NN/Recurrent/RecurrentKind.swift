import Tensor

/// Which recurrence a network runs (PyTorch's `RNNBase.mode`).
enum RecurrentKind: Sendable, Equatable {
    /// Elman: h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh).
    case rnn(RecurrentActivation)
    /// Long short-term memory, gates i, f, g, o.
    case lstm
    /// Gated recurrent unit, gates r, z, n.
    case gru

    /// How many blocks of `hiddenSize` rows W_ih and W_hh have.
    var gateCount: Int {
        switch self {
        case .rnn: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// The layer's name in messages and autograd nodes.
    var name: String {
        switch self {
        case .rnn: "RNN"
        case .lstm: "LSTM"
        case .gru: "GRU"
        }
    }
}
