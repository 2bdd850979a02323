#include "http/request_head.hpp"

namespace tessera::host {

HeadStatus headStatus(std::string_view bytes, std::size_t max_head_bytes) {
    const auto start = bytes.find_first_not_of("\r\n");
    if (start == std::string_view::npos) return bytes.size() > 4 ? HeadStatus::stray_lines : HeadStatus::incomplete;
    if (start > 4) return HeadStatus::stray_lines;
    const auto end = bytes.find("\r\n\r\n", start);
    const std::size_t size = end == std::string_view::npos ? bytes.size() - start : end + 4 - start;
    if (size > max_head_bytes) return HeadStatus::too_large;
    return end == std::string_view::npos ? HeadStatus::incomplete : HeadStatus::complete;
}

bool unsupportedVersion(std::string_view bytes) {
    const auto start = bytes.find_first_not_of("\r\n");
    if (start == std::string_view::npos) return false;
    const auto line = bytes.substr(start, bytes.find("\r\n", start) - start);
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos) return false;
    const auto version = line.substr(space + 1);
    return version.starts_with("HTTP/") && version != "HTTP/1.0" && version != "HTTP/1.1";
}

}  // namespace tessera::host
