#pragma once
// The `tessera` command line: every subcommand and the code behind it.

namespace tessera::host {

// Parses argv and runs the chosen command. Returns the process exit code: 0 success,
// 1 the operation failed (message on stderr), 2 bad usage.
int runCli(int argc, char** argv);

}  // namespace tessera::host
