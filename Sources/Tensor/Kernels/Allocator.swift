import CKernels

/// How the C library's allocator treats the buffers tensors free (glibc only).
///
/// A training loop allocates and frees the same multi-megabyte buffers (activations, gradients)
/// at every step. By default glibc maps large blocks with `mmap` (above a threshold that starts at
/// 128 KiB and rises as such blocks are freed) and returns freed heap space beyond a small margin
/// to the kernel, so a step may fault its buffers in afresh each time: in one build, the 30 steps
/// of `examples bench --only charrnn_batched` took 52,800 page faults, about 5 % of their time.
public enum Allocator {
    /// Serves blocks of up to `largestHeapBlock` bytes from the heap and keeps up to
    /// `retainedFreeBytes` of freed heap mapped, so that each step reuses the previous step's
    /// pages (the same bench: 8,800 page faults, peak resident memory 52 → 55 MB). Process-wide:
    /// call it once at start, as the `examples` program does. Equivalent to starting the process
    /// with `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728`.
    ///
    /// - Returns: whether the settings took effect: `false` with another C library, or for sizes
    ///   that are not positive or above `Int32.max`.
    @discardableResult
    public static func reuseFreedPages(largestHeapBlock: Int = 32 << 20, retainedFreeBytes: Int = 128 << 20) -> Bool {
        ck_malloc_reuse_freed_pages(largestHeapBlock, retainedFreeBytes) == 1
    }
}
