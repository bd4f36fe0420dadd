import Foundation

/// The PyTorch reference trajectories written by `Golden/make_optim_golden.py`.
struct GoldenData: Decodable, Sendable {
    struct Initial: Decodable, Sendable {
        let W: [[Double]]
        let b: [Double]
        let v: [Double]
        let u: [Double]
    }

    struct Group: Decodable, Sendable {
        let params: [String]
        let options: [String: JSONValue]?
    }

    /// One training run: an optimizer (with groups, scheduler, clipping) and PyTorch's results.
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let optimizer: String
        let options: [String: JSONValue]
        let groups: [Group]?
        let scheduler: [String: JSONValue]?
        let clip: [String: JSONValue]?
        /// Every group's hyperparameters after construction, as PyTorch resolved them.
        let resolvedGroups: [[String: JSONValue]]
        /// W, b, v flattened after each step.
        let trajectory: [[Double]]
        /// Each group's learning rate after each step (scheduler cases).
        let lrs: [[Double]]?
        /// The norm returned by `clip_grad_norm_` at each step (norm-clipping cases).
        let totalNorms: [Double]?

        var description: String { name }

        enum CodingKeys: String, CodingKey {
            case name, optimizer, options, groups, scheduler, clip, trajectory, lrs
            case resolvedGroups = "resolved_groups"
            case totalNorms = "total_norms"
        }
    }

    let torchVersion: String
    let steps: Int
    let x: [[Double]]
    let y: [Double]
    let initial: Initial
    let defaults: [String: [String: JSONValue]]
    let cases: [Case]

    enum CodingKeys: String, CodingKey {
        case steps, x, y, initial, defaults, cases
        case torchVersion = "torch_version"
    }

    /// The golden file, read once.
    static let shared: GoldenData = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/optim_golden.json")
        do {
            return try JSONDecoder().decode(GoldenData.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()
}
