#include "http/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace tessera::host {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool sameWord(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

HeadStatus headStatus(std::string_view bytes, std::size_t max_head_bytes) {
    const auto start = bytes.find_first_not_of(kCrlf);
    if (start == std::string_view::npos) return bytes.size() > 4 ? HeadStatus::stray_lines : HeadStatus::incomplete;
    if (start > 4) return HeadStatus::stray_lines;
    const auto end = bytes.find("\r\n\r\n", start);
    const std::size_t size = end == std::string_view::npos ? bytes.size() - start : end + 4 - start;
    if (size > max_head_bytes) return HeadStatus::too_large;
    if (end == std::string_view::npos) return HeadStatus::incomplete;
    // Pistache must see the head we see: lines end with CRLF only, the request line is
    // "method SP target SP HTTP/...", and every header line has a colon.
    const auto head = bytes.substr(start, end + 2 - start);
    for (std::size_t i = 0; i < head.size(); ++i)
        if ((head[i] == '\r' && (i + 1 == head.size() || head[i + 1] != '\n')) || (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')))
            return HeadStatus::malformed_header;
    const auto line_end = head.find("\r\n");
    const auto request_line = head.substr(0, line_end);
    const auto first_space = request_line.find(' '), last_space = request_line.rfind(' ');
    if (first_space == std::string_view::npos || first_space == last_space ||
        !request_line.substr(last_space + 1).starts_with("HTTP/"))
        return HeadStatus::malformed_header;
    for (auto at = line_end; at + 2 < head.size();) {
        const auto next = head.find("\r\n", at + 2);
        if (head.substr(at + 2, next - at - 2).find(':') == std::string_view::npos) return HeadStatus::malformed_header;
        at = next;
    }
    return HeadStatus::complete;
}

std::size_t bodyStart(std::string_view bytes) {
    const auto start = bytes.find_first_not_of(kCrlf);
    if (start == std::string_view::npos) return std::string_view::npos;
    const auto end = bytes.find("\r\n\r\n", start);
    return end == std::string_view::npos ? end : end + 4;
}

bool unsupportedVersion(std::string_view bytes) {
    const auto start = bytes.find_first_not_of(kCrlf);
    if (start == std::string_view::npos) return false;
    const auto line = bytes.substr(start, bytes.find(kCrlf, start) - start);
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos) return false;
    const auto version = line.substr(space + 1);
    return version.starts_with("HTTP/") && version != "HTTP/1.0" && version != "HTTP/1.1";
}

namespace {

// Calls fn(name, value) for each header line of a complete head (the request line skipped).
template <class Fn>
void forEachHeader(std::string_view head, Fn fn) {
    auto at = head.find(kCrlf);  // past the request line
    while (at != std::string_view::npos && at + 2 < head.size()) {
        const auto begin = at + 2;
        at = head.find(kCrlf, begin);
        const auto line = head.substr(begin, (at == std::string_view::npos ? head.size() : at) - begin);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) fn(line.substr(0, colon), trimmed(line.substr(colon + 1)));
    }
}

}  // namespace

BodyFraming bodyFraming(std::string_view head) {
    int codings = 0;
    bool length = false;
    bool chunked = false;
    forEachHeader(head, [&](std::string_view name, std::string_view value) {
        if (sameWord(name, "content-length")) length = true;
        if (sameWord(name, "transfer-encoding")) {
            ++codings;
            chunked = sameWord(value, "chunked");
        }
    });
    if (codings == 0) return BodyFraming::no_coding;
    if (codings > 1 || length) return BodyFraming::conflicting;
    return chunked ? BodyFraming::chunked : BodyFraming::unsupported_coding;
}

DeclaredLength declaredLength(std::string_view head, std::size_t max_body_bytes) {
    // More digits than this are more than any limit here allows, and cannot overflow.
    constexpr std::size_t kMaxLengthDigits = 15;
    DeclaredLength result = DeclaredLength::none;
    std::optional<std::size_t> first;
    forEachHeader(head, [&](std::string_view name, std::string_view value) {
        if (!sameWord(name, "content-length") || result == DeclaredLength::invalid) return;
        if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) {
            result = DeclaredLength::invalid;
            return;
        }
        const auto digits = value.substr(std::min(value.find_first_not_of('0'), value.size()));
        if (digits.size() > kMaxLengthDigits) {
            result = DeclaredLength::too_large;
            return;
        }
        std::size_t length = 0;
        for (const char c : digits) length = length * 10 + static_cast<std::size_t>(c - '0');
        // Two differing lengths leave the body's end unknown (RFC 9112 6.3).
        if (first && *first != length) {
            result = DeclaredLength::invalid;
            return;
        }
        first = length;
        result = length > max_body_bytes ? DeclaredLength::too_large : DeclaredLength::within_limit;
    });
    return result;
}

ChunkedBody chunkedBody(std::string_view bytes, std::size_t max_body_bytes, ChunkedProgress& progress) {
    // Hex digits beyond this many cannot be a size any limit here allows, and stopping
    // before 16 keeps the sum from overflowing.
    constexpr std::size_t kMaxSizeDigits = 12;
    // Nothing reads trailers; the bound keeps a trailer line trickled in byte by byte
    // from being searched again with every piece.
    constexpr std::size_t kMaxTrailerLine = 8 * 1024;
    std::size_t& at = progress.at;
    while (!progress.trailers) {
        const auto eol = bytes.find(kCrlf, at);
        auto line = bytes.substr(at, eol == std::string_view::npos ? bytes.size() - at : eol - at);
        if (eol == std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
        if (line.size() > kMaxSizeDigits) return {ChunkedStatus::malformed};
        std::size_t size = 0;
        for (const char c : line) {
            const int digit = hexDigit(c);
            if (digit < 0) return {ChunkedStatus::malformed};
            size = size * 16 + static_cast<std::size_t>(digit);
        }
        if (eol == std::string_view::npos) return {ChunkedStatus::incomplete};
        if (line.empty()) return {ChunkedStatus::malformed};
        if (progress.total + size > max_body_bytes) return {ChunkedStatus::too_large};
        const auto data = eol + 2;
        if (size == 0) {
            at = data;
            progress.trailers = true;
            break;
        }
        if (bytes.size() < data + size + 2) {
            // What has arrived of the data's end must already be its CRLF.
            const auto tail = bytes.substr(std::min(bytes.size(), data + size));
            return {kCrlf.starts_with(tail) ? ChunkedStatus::incomplete : ChunkedStatus::malformed};
        }
        if (bytes.substr(data + size, 2) != kCrlf) return {ChunkedStatus::malformed};
        progress.total += size;
        at = data + size + 2;
    }
    // Trailer fields, then the empty line that ends the body.
    for (;;) {
        const auto eol = bytes.find(kCrlf, at);
        if ((eol == std::string_view::npos ? bytes.size() : eol) - at > kMaxTrailerLine)
            return {ChunkedStatus::malformed};
        if (eol == std::string_view::npos) return {ChunkedStatus::incomplete};
        if (eol == at) return {ChunkedStatus::complete, eol + 2};
        if (bytes.substr(at, eol - at).find(':') == std::string_view::npos) return {ChunkedStatus::malformed};
        at = eol + 2;
    }
}

BodyCheck checkBody(std::string_view bytes, std::size_t max_body_bytes, ChunkedProgress& progress) {
    const auto start = bodyStart(bytes);
    if (start == std::string_view::npos) return BodyCheck::parse;
    switch (bodyFraming(bytes.substr(0, start))) {
        case BodyFraming::no_coding:
            switch (declaredLength(bytes.substr(0, start), max_body_bytes)) {
                case DeclaredLength::invalid:
                    return BodyCheck::invalid_length;
                case DeclaredLength::too_large:
                    return BodyCheck::too_large;
                case DeclaredLength::none:
                case DeclaredLength::within_limit:
                    return BodyCheck::parse;
            }
            return BodyCheck::invalid_length;
        case BodyFraming::conflicting:
            return BodyCheck::ambiguous_framing;
        case BodyFraming::unsupported_coding:
            return BodyCheck::unsupported_coding;
        case BodyFraming::chunked:
            break;
    }
    switch (chunkedBody(bytes.substr(start), max_body_bytes, progress).status) {
        case ChunkedStatus::complete:
            return BodyCheck::parse;
        case ChunkedStatus::incomplete:
            return BodyCheck::wait;
        case ChunkedStatus::malformed:
            return BodyCheck::malformed_chunks;
        case ChunkedStatus::too_large:
            return BodyCheck::too_large;
    }
    return BodyCheck::malformed_chunks;
}

}  // namespace tessera::host
