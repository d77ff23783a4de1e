// pheu's entry point; everything it does is in bot/cli.cpp and bot/application.cpp.
#include "bot/cli.h"

int main(int argc, char** argv) {
    return pheu::bot::run_cli(argc, argv);
}
