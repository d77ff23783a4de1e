// pheu's entry point; everything it does is in bot/cli.cpp and bot/application.cpp.
#include "bot/allocator_tuning.h"
#include "bot/cli.h"

int main(int argc, char** argv) {
    pheu::bot::keep_freed_memory_for_reuse();
    return pheu::bot::run_cli(argc, argv);
}
