// pheu's entry point; everything it does is in app/cli.cpp and app/application.cpp.
#include "app/allocator_tuning.h"
#include "app/cli.h"

#include <csignal>

int main(int argc, char** argv) {
    pheu::app::keep_freed_memory_for_reuse();
    // A file-size limit (ulimit -f) reached mid-write must fail that write, which the inbox
    // answers 503 and reports on /healthz, not kill the server with SIGXFSZ.
    std::signal(SIGXFSZ, SIG_IGN);
    return pheu::app::run_cli(argc, argv);
}
