#include "app/allocator_tuning.h"

#include <malloc.h>

namespace pheu::app {

namespace {
// How much free memory at the top of a heap glibc keeps before it gives pages back.
constexpr int k_trim_threshold_bytes = 32 * 1024 * 1024;
// Blocks at least this large get their own mapping instead of heap memory.
constexpr int k_mmap_threshold_bytes = 4 * 1024 * 1024;
} // namespace

void keep_freed_memory_for_reuse() {
    // These tune glibc's malloc: where pheu is linked with tcmalloc (CMakeLists.txt), its
    // mallopt accepts and ignores them, and tcmalloc keeps freed memory for reuse by design.
    // glibc gives freed memory at the top of a heap back to the kernel once it exceeds a
    // threshold that starts at 128 KiB (thread heaps: madvise, which on this VM costs a TLB
    // shootdown on every core). SQLite frees a connection's whole page cache whenever another
    // connection has written, and reads it back in the next transaction, so every worker pass
    // gave its pages back and faulted them in again: measured on 2 cores, the worker drained
    // a backlog at 2,000 events/s in runs where that happened (300,000 page faults in 8 s)
    // against 5,300 in runs where it did not, and which one a run got was chance. With 32 MiB
    // kept, every run drains at 5,200-5,600 events/s with a few hundred faults. The memory
    // kept is bounded by the threshold per heap, and is reused, not leaked.
    mallopt(M_TRIM_THRESHOLD, k_trim_threshold_bytes);
    // Setting the trim threshold switches off glibc's rising mmap threshold, which then stays
    // at 128 KiB: every connection that read a body near the 64 KiB limit grew its buffer to
    // 128 KiB and got a fresh mapping, 32 page faults and an munmap (another TLB shootdown)
    // per request. Refusing 2 MB bodies after their first 64 KB, the event loop managed
    // 14-16k in 10 s that way against 44-68k with this threshold. At 4 MiB every request
    // buffer stays on the heap, and only a rare very large block gets a mapping of its own.
    mallopt(M_MMAP_THRESHOLD, k_mmap_threshold_bytes);
}

} // namespace pheu::app
