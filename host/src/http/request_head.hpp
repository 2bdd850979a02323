#pragma once
// What the server reads of a request before Pistache's parser sees it: whether the head
// is complete, too large or not a request at all, and whether a chunked body is whole
// and well formed. Pistache 0.0.5 trusts a chunk's announced size (a chunk announcing
// 5 bytes that carries 4 made it read past its buffer), so its chunk parser only ever
// gets bodies checked here. Plain functions of the bytes received so far, so they are
// fuzzed and tested without a socket.

#include <cstddef>
#include <string_view>

namespace tessera::host {

enum class HeadStatus { incomplete, complete, too_large, stray_lines, malformed_header };

// Where the head (request line and headers) of the request at the start of `bytes`
// stands. RFC 9112 2.2 lets a server ignore an empty line or two before a request; more
// than that is not a request (stray_lines). too_large: the head is, or already is
// growing, longer than `max_head_bytes`. malformed_header: the head is complete but
// Pistache would read it otherwise than this function does (a bare CR or LF, a request
// line without "SP HTTP/…", a header line without a colon, RFC 9112 2.2, 3, 5.1): it would
// read on past the head's end and take a Content-Length from what follows, then reserve
// that much (two fuzz findings, kept in the corpus).
HeadStatus headStatus(std::string_view bytes, std::size_t max_head_bytes);

// Where the body of the request at the start of `bytes` begins: just past the empty
// line that ends its head, or npos while the head is incomplete.
std::size_t bodyStart(std::string_view bytes);

// Whether the request line names an HTTP version other than 1.0 and 1.1 ("HTTP/9.9"),
// which is answered 505 rather than 400.
bool unsupportedVersion(std::string_view bytes);

// How a request's body is delimited (RFC 9112 6), read from its complete head.
// unsupported_coding: a Transfer-Encoding other than exactly "chunked" (answered 501);
// conflicting: both Transfer-Encoding and Content-Length, or Transfer-Encoding twice,
// which RFC 9112 6.1 lets a server refuse because proxies may frame it differently.
enum class BodyFraming { no_coding, chunked, unsupported_coding, conflicting };
BodyFraming bodyFraming(std::string_view head);

// The Content-Length of a complete head: none, one number of bytes within the limit, or
// a number beyond it, or something that is not one number (not digits, two that differ).
// Checked before Pistache parses the body, which reserves whatever length is announced.
enum class DeclaredLength { none, within_limit, too_large, invalid };
DeclaredLength declaredLength(std::string_view head, std::size_t max_body_bytes);

enum class ChunkedStatus { incomplete, complete, malformed, too_large };
struct ChunkedBody {
    ChunkedStatus status;
    // complete: how many bytes the body takes, the last chunk and trailers included.
    std::size_t length = 0;
};

// How far a chunked body has been read. The connection keeps it between the pieces of
// one request, so a body that arrives in many small pieces is read once rather than
// again from its start with every piece (quadratic in the body for a client that
// trickles it). Valid only for the same growing bytes; reset for the next request.
struct ChunkedProgress {
    std::size_t at = 0;     // offset of the first line not yet read whole
    std::size_t total = 0;  // the data announced by the chunks before `at`
    bool trailers = false;  // the last chunk is read: `at` is among the trailer lines
};

// Reads a chunked body (RFC 9112 7.1) from `bytes`, which start right after the head,
// resuming at `progress`: sizes in hex digits only, each chunk's data followed by CRLF,
// then a zero-size chunk, trailer lines and an empty line. Chunk extensions are refused
// as malformed: nothing here uses them and Pistache's parser would misread them; so is
// a trailer line longer than 8 KiB.
// too_large: the data announced so far exceeds `max_body_bytes`, known before it arrives.
ChunkedBody chunkedBody(std::string_view bytes, std::size_t max_body_bytes, ChunkedProgress& progress);
// The same from the body's start, for bytes read once.
inline ChunkedBody chunkedBody(std::string_view bytes, std::size_t max_body_bytes) {
    ChunkedProgress from_start;
    return chunkedBody(bytes, max_body_bytes, from_start);
}

// Whether the bytes received so far of a request whose head is complete may go to
// Pistache's parser (`parse`), must wait for more of a chunked body (`wait`), or are
// refused: the framing is ambiguous or a coding other than chunked (bodyFraming), the
// Content-Length is not a number or over the limit (declaredLength), or the chunked body
// is malformed or too large (chunkedBody, resuming at `progress`).
enum class BodyCheck { parse, wait, ambiguous_framing, unsupported_coding, invalid_length, malformed_chunks, too_large };
BodyCheck checkBody(std::string_view bytes, std::size_t max_body_bytes, ChunkedProgress& progress);

}  // namespace tessera::host
