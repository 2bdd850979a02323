#include <tessera/sdk/rest/ids.hpp>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <random>
#include <stdexcept>

namespace tessera::sdk::rest {
namespace {

// A generator per thread, seeded with 256 bits from the OS CSPRNG (getrandom): ids need
// to be unique across threads and processes, not secret, so after the seed no id costs a
// system call.
std::mt19937_64 osSeededGenerator() {
    std::array<std::uint32_t, 8> seed{};
    auto* out = reinterpret_cast<unsigned char*>(seed.data());
    std::size_t filled = 0;
    while (filled < sizeof seed) {
        const ssize_t n = getrandom(out + filled, sizeof seed - filled, 0);
        if (n < 0 && errno != EINTR) throw std::runtime_error("the OS random source failed");
        if (n > 0) filled += static_cast<std::size_t>(n);
    }
    std::seed_seq sequence(seed.begin(), seed.end());
    return std::mt19937_64(sequence);
}

}  // namespace

std::string newId(std::string_view prefix) {
    // Crockford-style alphabet: no i, l, o, u, so ids read back unambiguously.
    static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    thread_local std::mt19937_64 rng = osSeededGenerator();
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
