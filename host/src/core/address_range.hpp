#pragma once
// An IPv4 or IPv6 address range ("10.0.0.0/8", "::1", "192.168.1.7"), for the trusted
// proxies: only a peer inside one of them may say who the real client is.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::host {

class AddressRange {
public:
    // A single address (a /32 or /128) or ADDRESS/PREFIX; nullopt for anything else.
    static std::optional<AddressRange> parse(std::string_view text);

    // Whether `address` (as a peer or a forwarded header gives it: "1.2.3.4", "::1",
    // "::ffff:1.2.3.4", "[::1]") lies inside. An IPv4-mapped IPv6 address counts as the
    // IPv4 address it maps.
    bool contains(std::string_view address) const;

private:
    std::array<std::uint8_t, 16> bytes_{};  // IPv4 as its IPv4-mapped IPv6 form
    unsigned prefix_ = 128;                  // bits, counted in the IPv6 form
};

// Parses an address (IPv4, IPv6, bracketed IPv6, IPv4-mapped) into its 16-byte form.
std::optional<std::array<std::uint8_t, 16>> parseAddress(std::string_view text);

// Who really sent a request that arrived from `peer`: the peer itself, unless it is a
// trusted proxy; then the nearest address in X-Forwarded-For (or Forwarded: for=) that
// is not itself a trusted proxy, read from the right, as each proxy appends the address
// it saw. Values that are not addresses end the walk at the last trusted hop.
std::string forwardedClient(std::string_view peer, std::string_view x_forwarded_for, std::string_view forwarded,
                            const std::vector<AddressRange>& trusted);

}  // namespace tessera::host
