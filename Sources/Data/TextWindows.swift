import Tensor

/// Windows of a token stream for training language models, in the two ways the examples use:
/// consecutive windows over parallel streams (truncated backpropagation through time, as
/// PyTorch's word_language_model `batchify`/`get_batch`) and random windows (nanoGPT's `get_batch`).
public enum TextWindows {
    /// The tokens cut into `streams` parallel streams (`batchify`): shape `[streams, length]`,
    /// stream b holding tokens `b * length ..< (b + 1) * length`, with
    /// length = tokens.count / streams (the tail that does not fill a stream is dropped).
    /// - Precondition: `tokens` is 1-d and `0 < streams <= tokens.count`.
    public static func streams(_ tokens: Tensor<Int>, count streams: Int) -> Tensor<Int> {
        check(tokens.rank == 1, "TextWindows.streams: expected 1-d tokens, got shape \(tokens.shape)")
        check(streams > 0 && streams <= tokens.count, "TextWindows.streams: cannot cut \(tokens.count) tokens into \(streams) streams")
        let length = tokens.count / streams
        return tokens[..<(streams * length)].reshape([streams, length])
    }

    /// Consecutive windows over parallel streams, for truncated BPTT: window k of `streams`
    /// (shape `[batch, length]`, see ``streams(_:count:)``) is `input = streams[:, i ..< i + n]`
    /// and `target = streams[:, i + 1 ..< i + n + 1]` with i = k · `length` and
    /// n = min(length, streamLength - 1 - i), so the last window may be shorter (PyTorch's
    /// `get_batch(source, i)` in batch-first layout). Window k + 1 continues each stream where
    /// window k stopped: carry the recurrent state across windows, detached.
    ///
    /// ```swift
    /// var h: Tensor<Float>? = nil
    /// for window in TextWindows.consecutive(TextWindows.streams(tokens, count: 20), length: 35) {
    ///     let (output, hn) = lstm(embedding(window.input), h)   // batchFirst
    ///     h = hn.detach()
    /// }
    /// ```
    /// - Precondition: `streams` is 2-d and `length > 0`.
    public static func consecutive(_ streams: Tensor<Int>, length: Int) -> [Example<Int, Int>] {
        check(streams.rank == 2, "TextWindows.consecutive: expected streams of shape [batch, length], got \(streams.shape)")
        check(length > 0, "TextWindows.consecutive: window length must be positive, got \(length)")
        let total = streams.shape[1]
        return stride(from: 0, to: Swift.max(total - 1, 0), by: length).map { i in
            let n = Swift.min(length, total - 1 - i)
            return Example(input: streams[.all, i..<(i + n)], target: streams[.all, (i + 1)..<(i + n + 1)])
        }
    }

    /// `batch` windows of `length` tokens at random offsets (nanoGPT's `get_batch`):
    /// offsets = `torch.randint(tokens.count - length, (batch,), generator)`, input row j =
    /// tokens[o_j ..< o_j + length], target row j = tokens[o_j + 1 ..< o_j + length + 1];
    /// both `[batch, length]`. The same seed gives nanoGPT's batches.
    /// - Precondition: `tokens` is 1-d with more than `length` tokens; `batch > 0`, `length > 0`.
    public static func random(_ tokens: Tensor<Int>, length: Int, batch: Int, generator: Generator = .default) -> Example<Int, Int> {
        check(tokens.rank == 1, "TextWindows.random: expected 1-d tokens, got shape \(tokens.shape)")
        check(length > 0 && batch > 0 && tokens.count > length, "TextWindows.random: cannot take windows of \(length) from \(tokens.count) tokens")
        let offsets = Tensor<Int>.randint(tokens.count - length, [batch], generator: generator).scalars
        let rows = offsets.map { o in Array(o..<(o + length + 1)) }
        let picked = tokens[Tensor<Int>(shape: [batch, length + 1], scalars: rows.flatMap { $0 })]
        return Example(input: picked[.all, ..<length], target: picked[.all, 1...])
    }
}
