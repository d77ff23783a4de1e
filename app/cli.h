#pragma once
// The command line: `pheu serve`, `pheu sign-demo`, and help for each.
namespace pheu::app {

// Runs the command named by the arguments and returns the process exit code.
int run_cli(int argc, char** argv);

} // namespace pheu::app
