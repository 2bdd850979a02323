#include "auth/crypto.hpp"

#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace tessera::host::auth {
namespace {

std::vector<unsigned char> randomBytes(std::size_t n) {
    std::vector<unsigned char> out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("the CSPRNG failed");
    return out;
}

}  // namespace

std::string randomSecret(std::string_view prefix, std::size_t bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto raw = randomBytes(bytes);
    std::string out(prefix);
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char b : raw) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 6) {
            out += alphabet[(buffer >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];
    return out;
}

std::string randomId(std::string_view prefix) {
    static const char* alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    const auto raw = randomBytes(16);
    std::string out(prefix);
    for (unsigned char b : raw) out += alphabet[b & 31];
    return out;
}

std::string sha256Hex(std::string_view text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    static const char* hex = "0123456789abcdef";
    std::string out(2 * SHA256_DIGEST_LENGTH, '0');
    for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tessera::host::auth
