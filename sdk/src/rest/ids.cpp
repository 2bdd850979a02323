#include <tessera/sdk/rest/ids.hpp>

#include <cstdint>
#include <random>

namespace tessera::sdk::rest {

std::string newId(std::string_view prefix) {
    // Crockford-style alphabet: no i, l, o, u, so ids read back unambiguously.
    static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string id(prefix);
    std::uint64_t a = rng(), b = rng();
    for (int i = 0; i < 20; ++i) {
        std::uint64_t& src = i < 12 ? a : b;
        id += kAlphabet[src & 31];
        src >>= 5;
    }
    return id;
}

}  // namespace tessera::sdk::rest
