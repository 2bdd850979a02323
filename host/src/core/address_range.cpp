#include "core/address_range.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>

namespace tessera::host {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The for= parameters of a Forwarded header (RFC 7239), in order: `for=1.2.3.4`,
// `for="[2001:db8::1]:4711"`; an obfuscated or "unknown" value is kept as it is (and
// later fails to parse as an address).
std::vector<std::string> forwardedFor(std::string_view header) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < header.size()) {
        auto end = header.find_first_of(",;", at);
        if (end == std::string_view::npos) end = header.size();
        auto pair = trim(header.substr(at, end - at));
        at = end + 1;
        if (pair.size() < 4) continue;
        std::string key(pair.substr(0, 4));
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        if (key != "for=") continue;
        auto value = pair.substr(4);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        std::string address(value);
        if (!address.empty() && address.front() == '[') {
            const auto close = address.find(']');
            address = close == std::string::npos ? std::string() : address.substr(1, close - 1);
        } else if (std::count(address.begin(), address.end(), ':') == 1) {
            address.resize(address.find(':'));  // IPv4 with a port
        }
        out.push_back(address);
    }
    return out;
}

std::vector<std::string> commaList(std::string_view header) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= header.size() && !header.empty()) {
        auto end = header.find(',', at);
        if (end == std::string_view::npos) end = header.size();
        out.emplace_back(trim(header.substr(at, end - at)));
        at = end + 1;
    }
    return out;
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parseAddress(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 45) return std::nullopt;
    const std::string s(text);
    std::array<std::uint8_t, 16> bytes{};
    in_addr v4{};
    if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        bytes[10] = bytes[11] = 0xff;
        std::memcpy(bytes.data() + 12, &v4, 4);
        return bytes;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(bytes.data(), &v6, 16);
        return bytes;
    }
    return std::nullopt;
}

std::optional<AddressRange> AddressRange::parse(std::string_view text) {
    const auto slash = text.find('/');
    auto address = parseAddress(text.substr(0, slash));
    if (!address) return std::nullopt;
    const bool v4 = std::all_of(address->begin(), address->begin() + 10, [](auto b) { return b == 0; }) &&
                    (*address)[10] == 0xff && (*address)[11] == 0xff && text.substr(0, slash).find(':') == std::string_view::npos;
    AddressRange range;
    range.bytes_ = *address;
    range.prefix_ = 128;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        unsigned bits = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
        if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || bits > (v4 ? 32u : 128u))
            return std::nullopt;
        range.prefix_ = v4 ? 96 + bits : bits;
    }
    return range;
}

bool AddressRange::contains(std::string_view address) const {
    const auto bytes = parseAddress(address);
    if (!bytes) return false;
    unsigned bits = prefix_;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if (((*bytes)[i] & mask) != (bytes_[i] & mask)) return false;
    }
    return true;
}

std::string forwardedClient(std::string_view peer, std::string_view x_forwarded_for, std::string_view forwarded,
                            const std::vector<AddressRange>& trusted) {
    auto isTrusted = [&](std::string_view address) {
        return std::any_of(trusted.begin(), trusted.end(), [&](const auto& r) { return r.contains(address); });
    };
    std::string client(peer);
    if (!isTrusted(peer)) return client;
    const auto hops = !x_forwarded_for.empty() ? commaList(x_forwarded_for) : forwardedFor(forwarded);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        if (!parseAddress(*it)) break;
        client = *it;
        if (!isTrusted(client)) break;
    }
    if (client.size() > 2 && client.front() == '[') client = client.substr(1, client.size() - 2);
    return client;
}

}  // namespace tessera::host
