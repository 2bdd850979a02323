#pragma once
// Reading CSV text (RFC 4180) into rows of cells, for imports. No dependency on the rest
// of the plugin, so the fuzz target (tests/fuzz/) builds it on its own.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::plugins::contacts {

// The records of `text` (a leading UTF-8 byte order mark is skipped; quoted cells may
// hold commas, quotes doubled and line breaks; empty lines are skipped); nullopt on an
// unterminated quote.
std::optional<std::vector<std::vector<std::string>>> parseCsv(std::string_view text);

}  // namespace tessera::plugins::contacts
