#pragma once
// `tessera secrets rotate-key [--new-key-file FILE]`: seals every secret of every tenant
// with a new master key (docs/security.md, "Rotating the master key").

#include <string>

namespace tessera::host {

class Host;

// Returns the process exit code; throws std::runtime_error with an operator-facing
// message when the rotation cannot start.
int rotateMasterKey(Host& host, const std::string& new_key_file);

}  // namespace tessera::host
