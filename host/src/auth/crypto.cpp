#include "auth/crypto.hpp"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <tessera/sdk/rest/text.hpp>

namespace tessera::host::auth {
namespace {

std::string randomBytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("the CSPRNG failed");
    return out;
}

}  // namespace

std::string randomSecret(std::string_view prefix, std::size_t bytes) {
    return std::string(prefix) + sdk::rest::base64url(randomBytes(bytes));
}

std::string randomCode(std::size_t chars) {
    static const char* alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    std::string out;
    for (char b : randomBytes(chars)) out += alphabet[static_cast<unsigned char>(b) & 31];  // 256 is a multiple of 32: uniform
    return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tessera::host::auth
