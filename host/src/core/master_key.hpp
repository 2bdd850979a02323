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

// For `tessera secrets rotate-key` (cli/rotate_key.cpp): from here on this process seals
// with `next` and opens what either key sealed.
void installRotatingMasterKey(const SecretBox::Key& next, const SecretBox::Key& previous);

// <data_dir>/secret.key, and <data_dir>/secret.key.next: the new key of a rotation in
// progress, written before any value is sealed with it so that an interrupted rotation
// can always be finished.
std::string keyFilePath(const std::string& data_dir);
std::string nextKeyFilePath(const std::string& data_dir);
// Throws while a rotation of the key file is unfinished: a server with the old key would
// not open what the rotation has sealed already.
void refuseUnfinishedRotation(const std::string& data_dir);

SecretBox::Key randomKey();
// Creates `path` holding `key` (mode 0600, fsync'd). False if `path` already exists.
bool createKeyFile(const std::string& path, const SecretBox::Key& key);
// A key file's 32 raw bytes, with the checks of loadMasterKey (owner-only, regular file,
// exactly 32 bytes).
SecretBox::Key readKeyFile(const std::string& path);

}  // namespace tessera::host
