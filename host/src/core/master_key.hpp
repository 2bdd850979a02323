#pragma once
// The host's master key for secrets stored in databases, found the same way by the
// server and by every CLI command so both open what the other sealed:
//   1. TESSERA_SECRET_KEY (64 hex digits or base64 of 32 bytes);
//   2. secret_key in [plugins.auth] of tessera.toml (or TESSERA_AUTH_SECRET_KEY), same forms;
//   3. the file <data_dir>/secret.key: 32 raw bytes, mode 0600, created with fresh random
//      bytes the first time any process starts on that data directory.
// A key in the wrong form, or a key file of the wrong length or readable by group or
// others, is refused with a message saying what to fix: a weak or guessed key is worse
// than not starting.

#include <string>

#include "config/config.hpp"
#include "core/secret_box.hpp"

namespace tessera::host {

struct MasterKey {
    SecretBox::Key key{};
    std::string source;  // "TESSERA_SECRET_KEY", "auth.secret_key" or the key file's path
};

// Throws std::runtime_error with an operator-facing message.
MasterKey loadMasterKey(const Config& config);
// Parses 64 hex digits or base64 of exactly 32 bytes; `what` names the setting in errors.
SecretBox::Key parseMasterKey(const std::string& text, const std::string& what);

// The process's sealing box. Set once at startup (Host's constructor) before any request
// or job runs; read concurrently afterwards.
void installMasterKey(const MasterKey& key);
// Throws std::logic_error when no key was installed (a host assembly bug).
const SecretBox& masterSecretBox();

}  // namespace tessera::host
