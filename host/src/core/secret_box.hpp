#pragma once
// Authenticated encryption of small secrets kept in databases (TOTP seeds, webhook
// signing keys): AES-256-GCM through OpenSSL EVP, a fresh 96-bit nonce per value, and
// additional authenticated data naming where the value belongs (tenant and column), so a
// value copied to another tenant or column fails to open instead of being accepted.
//
// Stored form: "v1:" + base64(nonce[12] | ciphertext | tag[16]). The version prefix lets
// a later format (or key id) be introduced without guessing; text without it was written
// before encryption existed and is read as plaintext by callers that allow it.

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tessera::host {

// A stored value that cannot be opened: wrong master key, altered bytes, a value moved
// from another tenant/column, or a malformed encoding. The message never contains the
// secret; it says which check failed.
class SecretUnreadable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SecretBox {
public:
    static constexpr std::size_t kKeySize = 32;
    using Key = std::array<std::uint8_t, kKeySize>;

    explicit SecretBox(const Key& key) : key_(key) {}
    // While the master key is rotated (`tessera secrets rotate-key`): seals with `key`,
    // opens what either key sealed.
    SecretBox(const Key& key, const Key& previous) : key_(key), previous_(previous) {}
    ~SecretBox();
    SecretBox(const SecretBox&) = default;
    SecretBox& operator=(const SecretBox&) = default;

    // "v1:..." for `plaintext`, bound to `aad`. Throws std::runtime_error only when
    // OpenSSL itself fails (no randomness).
    std::string seal(std::string_view plaintext, std::string_view aad) const;
    // The plaintext of a sealed value. Throws SecretUnreadable when it does not open with
    // this box's key(s) and `aad`, or is not a sealed value at all.
    std::string open(std::string_view stored, std::string_view aad) const;
    // Whether `stored` carries a version prefix this build writes or reads.
    static bool isSealed(std::string_view stored);

private:
    static std::string openWith(const Key& key, std::string_view stored, std::string_view aad);

    Key key_;
    std::optional<Key> previous_;
};

// Standard base64 (RFC 4648, with padding); decoding returns false on any other input.
std::string base64Encode(std::string_view bytes);
bool base64Decode(std::string_view text, std::string& out);

}  // namespace tessera::host
