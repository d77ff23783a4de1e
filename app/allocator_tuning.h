#pragma once
// How the process's allocator hands freed memory back to the kernel.

namespace pheu::app {

// Call once at start, before any thread starts. See allocator_tuning.cpp for why.
void keep_freed_memory_for_reuse();

} // namespace pheu::app
