#pragma once
// Timestamps as the host stores and prints them: ISO 8601, UTC, second precision.

#include <string>

namespace tessera::host {

std::string isoNow();

}  // namespace tessera::host
