#include "core/digest.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace tessera::host {

std::string sha256Hex(std::string_view text) {
    // Every authenticated request hashes its token. The algorithm is fetched once
    // (looking it up per call was a third of the cost) and each thread keeps its context
    // (allocating and freeing one per call was another third).
    static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (!sha256 || !ctx || EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest, nullptr) != 1)
        throw std::runtime_error("SHA-256 is not available");
    static const char* hex = "0123456789abcdef";
    std::string out(2 * SHA256_DIGEST_LENGTH, '0');
    for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    return out;
}

}  // namespace tessera::host
