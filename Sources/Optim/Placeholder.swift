/// Placeholder until the optimizers land.
enum OptimPlaceholder {}
