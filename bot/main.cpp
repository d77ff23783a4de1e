// pheu's entry point; everything it does is in bot/cli.cpp and bot/application.cpp.
#include "bot/allocator_tuning.h"
#include "bot/cli.h"

#include <csignal>

int main(int argc, char** argv) {
    pheu::bot::keep_freed_memory_for_reuse();
    // A file-size limit (ulimit -f) reached mid-write must fail that write, which the inbox
    // answers 503 and reports on /healthz, not kill the server with SIGXFSZ.
    std::signal(SIGXFSZ, SIG_IGN);
    return pheu::bot::run_cli(argc, argv);
}
