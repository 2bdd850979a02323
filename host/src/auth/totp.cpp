#include "auth/totp.hpp"

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include <liboath/oath.h>
#include <openssl/rand.h>

namespace tessera::host::auth {
namespace {

constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;

void ensureInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (oath_init() != OATH_OK) throw std::runtime_error("liboath failed to initialise");
    });
}

std::optional<std::string> decode(const std::string& base32) {
    char* out = nullptr;
    std::size_t len = 0;
    if (oath_base32_decode(base32.data(), base32.size(), &out, &len) != OATH_OK) return std::nullopt;
    std::string raw(out, len);
    std::free(out);
    return raw;
}

std::string percentEncode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string newTotpSecret() {
    ensureInit();
    unsigned char raw[20];
    if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("the CSPRNG failed");
    char* out = nullptr;
    std::size_t len = 0;
    if (oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &out, &len) != OATH_OK)
        throw std::runtime_error("base32 encoding failed");
    std::string secret(out, len);
    std::free(out);
    while (!secret.empty() && secret.back() == '=') secret.pop_back();
    return secret;
}

std::string totpProvisioningUri(const std::string& secret, const std::string& issuer, const std::string& account) {
    return "otpauth://totp/" + percentEncode(issuer) + ":" + percentEncode(account) + "?secret=" + secret +
           "&issuer=" + percentEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::optional<std::int64_t> totpMatchStep(const std::string& secret, const std::string& code) {
    ensureInit();
    if (code.size() != kDigits) return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9') return std::nullopt;
    auto raw = decode(secret);
    if (!raw) return std::nullopt;
    const std::time_t now = std::time(nullptr);
    int pos = 0;
    const int rc = oath_totp_validate2(raw->data(), raw->size(), now, kStep, 0, 1, &pos, code.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<std::int64_t>(now / kStep) + pos;
}

std::string totpCodeNow(const std::string& secret) {
    ensureInit();
    auto raw = decode(secret);
    if (!raw) throw std::invalid_argument("not a base32 secret");
    char out[kDigits + 1] = {};
    if (oath_totp_generate(raw->data(), raw->size(), std::time(nullptr), kStep, 0, kDigits, out) != OATH_OK)
        throw std::runtime_error("TOTP generation failed");
    return out;
}

}  // namespace tessera::host::auth
