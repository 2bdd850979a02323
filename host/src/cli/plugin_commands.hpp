#pragma once
// `tessera <plugin> <command> ARGS... --tenant T [--key value]...`: commands that plugins
// declare with Registrar::command, run in a tenant's scope with a progress display.

#include <string>
#include <vector>

namespace tessera::host {

// `args` starts at the plugin id. Returns the exit code (0 ok, 1 failed, 2 usage).
// `host_commands`: the host's own commands, to suggest the nearest when args[0] is
// neither one of them nor a plugin.
int runPluginCommand(const std::string& config_path, const std::vector<std::string>& args,
                     const std::vector<std::string>& host_commands);

}  // namespace tessera::host
