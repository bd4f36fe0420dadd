/*
 * The C library allocator's settings that Swift cannot reach (malloc.h is not part of Swift's
 * Glibc module): see ck_malloc_reuse_freed_pages in CKernels.h.
 */
#include "CKernels.h"

#include <stdlib.h> /* defines __GLIBC__ with the GNU C library */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int ck_malloc_reuse_freed_pages(long largestHeapBlock, long retainedFreeBytes) {
#if defined(__GLIBC__)
    if (largestHeapBlock <= 0 || retainedFreeBytes <= 0 || largestHeapBlock > 0x7fffffffL || retainedFreeBytes > 0x7fffffffL)
        return 0;
    return mallopt(M_MMAP_THRESHOLD, (int)largestHeapBlock) == 1 && mallopt(M_TRIM_THRESHOLD, (int)retainedFreeBytes) == 1;
#else
    (void)largestHeapBlock;
    (void)retainedFreeBytes;
    return 0;
#endif
}
