#include "csv_reader.hpp"

namespace tessera::plugins::contacts {

std::optional<std::vector<std::vector<std::string>>> parseCsv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"' && cell.empty()) {
            quoted = true, any = true;
        } else if (c == ',') {
            row.push_back(std::move(cell)), cell.clear(), any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !cell.empty()) row.push_back(std::move(cell));
            if (!row.empty()) rows.push_back(std::move(row));
            row.clear(), cell.clear(), any = false;
        } else {
            cell += c, any = true;
        }
    }
    if (quoted) return std::nullopt;
    if (any || !cell.empty()) row.push_back(std::move(cell));
    if (!row.empty()) rows.push_back(std::move(row));
    return rows;
}

}  // namespace tessera::plugins::contacts
