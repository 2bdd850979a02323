// The request as the server reads it: Pistache's parser fed the bytes in pieces, behind
// the host's own head and body checks (request_head.hpp) as http_server.cpp does, and the
// query and path decoding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <pistache/http.h>

#include "http/request_head.hpp"
#include "http/router.hpp"

using namespace tessera::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto status = headStatus(bytes, 16 * 1024);
    (void)unsupportedVersion(bytes);
    Pistache::Http::RequestParser parser(64 * 1024);
    // Two pieces, split where the first byte says: requests arrive in any chunking.
    const std::size_t split = size ? data[0] % (size + 1) : 0;
    ChunkedProgress chunked;  // kept across the pieces, as the server keeps it per connection
    try {
        for (const auto piece : {bytes.substr(0, split), bytes.substr(split)}) {
            if (!parser.feed(piece.data(), piece.size())) break;
            const auto received = bytes.substr(0, piece.data() + piece.size() - bytes.data());
            const auto head = headStatus(received, 16 * 1024);
            if (head == HeadStatus::malformed_header) break;  // refused with a 400 before Pistache parses
            if (head == HeadStatus::complete) {
                const auto body = checkBody(received, 64 * 1024, chunked);
                if (body == BodyCheck::wait) continue;
                if (body != BodyCheck::parse) break;  // refused with a 4xx or 501
            }
            if (parser.parse() == Pistache::Http::Private::State::Done) {
                // A head the parser accepted is never one the host calls stray lines.
                if (status == HeadStatus::stray_lines || status == HeadStatus::malformed_header) __builtin_trap();
                (void)percentDecode(parser.request.resource(), false);
                for (auto it = parser.request.query().parameters_begin(); it != parser.request.query().parameters_end(); ++it)
                    (void)percentDecode(it->second, true);
                break;
            }
        }
    } catch (const std::exception&) {
        // Pistache refuses malformed heads by throwing; the server answers 400.
    }
    return 0;
}
