#include "core/secret_box.hpp"

#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace tessera::host {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw std::runtime_error("OpenSSL could not allocate a cipher context");
    return ctx;
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

SecretBox::~SecretBox() {
    OPENSSL_cleanse(key_.data(), key_.size());
    if (previous_) OPENSSL_cleanse(previous_->data(), previous_->size());
}

bool SecretBox::isSealed(std::string_view stored) { return stored.substr(0, kPrefix.size()) == kPrefix; }

std::string SecretBox::seal(std::string_view plaintext, std::string_view aad) const {
    std::string raw(kNonceSize + plaintext.size() + kTagSize, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
    auto* out = nonce + kNonceSize;
    if (RAND_bytes(nonce, kNonceSize) != 1) throw std::runtime_error("the CSPRNG failed while sealing a secret");
    auto ctx = newContext();
    int len = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out + plaintext.size()) != 1)
        throw std::runtime_error("AES-256-GCM encryption failed");
    return std::string(kPrefix) + base64Encode(raw);
}

std::string SecretBox::open(std::string_view stored, std::string_view aad) const {
    if (!previous_) return openWith(key_, stored, aad);
    try {
        return openWith(key_, stored, aad);
    } catch (const SecretUnreadable&) {
        return openWith(*previous_, stored, aad);
    }
}

std::string SecretBox::openWith(const Key& key, std::string_view stored, std::string_view aad) {
    if (!isSealed(stored)) throw SecretUnreadable("the value is not in the v1 sealed format");
    std::string raw;
    if (!base64Decode(stored.substr(kPrefix.size()), raw) || raw.size() < kNonceSize + kTagSize)
        throw SecretUnreadable("the sealed value is truncated or not valid base64");
    const auto* nonce = bytes(raw);
    const auto* cipher = nonce + kNonceSize;
    const int cipher_len = static_cast<int>(raw.size()) - kNonceSize - kTagSize;
    std::string plain(static_cast<std::size_t>(cipher_len), '\0');
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    auto ctx = newContext();
    int len = 0;
    // The tag is only read by OpenSSL; the cast is what its ctrl interface requires.
    auto* tag = const_cast<unsigned char*>(cipher + cipher_len);
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &len, cipher, cipher_len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) != 1)
        throw SecretUnreadable("AES-256-GCM decryption could not start");
    int final_len = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        throw SecretUnreadable(
            "authentication failed: the master key differs from the one that sealed it, or the value was altered "
            "or moved from another tenant or column");
    }
    return plain;
}

std::string base64Encode(std::string_view in) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (const std::size_t rest = in.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

bool base64Decode(std::string_view in, std::string& out) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    out.clear();
    if (in.size() % 4 != 0) return false;
    for (std::size_t i = 0; i < in.size(); i += 4) {
        const bool last = i + 4 == in.size();
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = in[i + static_cast<std::size_t>(k)];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                ++pad;
                continue;
            }
            if (pad > 0) return false;  // data after padding
            v[k] = value(c);
            if (v[k] < 0) return false;
        }
        const unsigned n = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                           (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
        out += static_cast<char>((n >> 16) & 255);
        if (pad < 2) out += static_cast<char>((n >> 8) & 255);
        if (pad < 1) out += static_cast<char>(n & 255);
    }
    return true;
}

}  // namespace tessera::host
