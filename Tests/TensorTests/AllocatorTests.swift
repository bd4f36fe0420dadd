import Testing
import Tensor

@Suite("Allocator")
struct AllocatorTests {
    /// The settings are process-wide, so this sets glibc's own initial values (128 KiB for both),
    /// which retain no more memory than the defaults do (the memory tests run alongside).
    @Test("the glibc settings take effect; sizes out of range are refused")
    func settings() {
        #if os(Linux)
        #expect(Allocator.reuseFreedPages(largestHeapBlock: 128 << 10, retainedFreeBytes: 128 << 10))
        #endif
        #expect(!Allocator.reuseFreedPages(largestHeapBlock: 0))
        #expect(!Allocator.reuseFreedPages(retainedFreeBytes: -1))
        #expect(!Allocator.reuseFreedPages(largestHeapBlock: 1 << 40))
    }
}
