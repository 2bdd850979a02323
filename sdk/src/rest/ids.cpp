#include <tessera/sdk/rest/ids.hpp>

#include <sys/random.h>

#include <array>
#include <chrono>
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

// Crockford-style alphabet: no i, l, o, u, so ids read back unambiguously. Its ASCII
// order is its digit order, so time digits sort as text.
constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void appendRandom(std::string& out, std::size_t count) {
    thread_local std::mt19937_64 rng = osSeededGenerator();
    while (count > 0) {
        std::uint64_t bits = rng();
        for (int i = 0; i < 12 && count > 0; ++i, --count) {
            out += kAlphabet[bits & 31];
            bits >>= 5;
        }
    }
}

}  // namespace

std::string newId(std::string_view prefix) {
    // 45 bits of milliseconds since 1970 last until the year 3084.
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    std::string id;
    id.reserve(prefix.size() + 20);
    id += prefix;
    for (int i = 8; i >= 0; --i) id += kAlphabet[(ms >> (5 * i)) & 31];
    appendRandom(id, 11);
    return id;
}

std::string randomIdChars(std::size_t count) {
    std::string chars;
    chars.reserve(count);
    appendRandom(chars, count);
    return chars;
}

}  // namespace tessera::sdk::rest
