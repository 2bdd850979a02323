#pragma once
// SHA-256 as lowercase hex: the stored form of secrets that are only ever compared
// (tokens, session ids, reset links, recovery codes) and the checksum of an applied
// migration.

#include <string>
#include <string_view>

namespace tessera::host {

std::string sha256Hex(std::string_view text);

}  // namespace tessera::host
