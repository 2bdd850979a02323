// The contacts CSV reader, on anything an import may upload.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto rows = tessera::plugins::contacts::parseCsv(text);
    if (!rows) return 0;
    std::size_t bytes = 0;
    for (const auto& row : *rows)
        for (const auto& cell : row) bytes += cell.size();
    // A cell is never longer than the text it came from.
    if (bytes > size) __builtin_trap();
    return 0;
}
