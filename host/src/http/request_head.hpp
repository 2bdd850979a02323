#pragma once
// What the server reads of a request's head before Pistache's parser has the whole of it:
// whether it is complete, too large or not a request at all. Plain functions of the bytes
// received so far, so they are fuzzed and tested without a socket.

#include <cstddef>
#include <string_view>

namespace tessera::host {

enum class HeadStatus { incomplete, complete, too_large, stray_lines };

// Where the head (request line and headers) of the request at the start of `bytes`
// stands. RFC 9112 2.2 lets a server ignore an empty line or two before a request; more
// than that is not a request (stray_lines). too_large: the head is, or already is
// growing, longer than `max_head_bytes`.
HeadStatus headStatus(std::string_view bytes, std::size_t max_head_bytes);

// Whether the request line names an HTTP version other than 1.0 and 1.1 ("HTTP/9.9"),
// which is answered 505 rather than 400.
bool unsupportedVersion(std::string_view bytes);

}  // namespace tessera::host
