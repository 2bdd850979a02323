#include "auth/password_hasher.hpp"

#include <stdexcept>
#include <vector>

#include <argon2.h>

#include "auth/crypto.hpp"

namespace tessera::host::auth {

namespace {
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
}  // namespace

std::string PasswordHasher::hash(const std::string& password) const {
    std::string salt = randomSecret("", kSaltBytes);  // printable is fine: only its entropy matters
    const std::size_t len = argon2_encodedlen(time_cost_, memory_kib_, parallelism_, static_cast<uint32_t>(salt.size()),
                                              kHashBytes, Argon2_id);
    std::vector<char> encoded(len);
    const int rc = argon2id_hash_encoded(time_cost_, memory_kib_, parallelism_, password.data(), password.size(),
                                         salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id hashing failed: ") + argon2_error_message(rc));
    return encoded.data();
}

bool PasswordHasher::verify(const std::string& encoded, const std::string& password) const {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordHasher::verifyNothing(const std::string& password) const {
    static const std::string dummy = hash("not a password of anyone: equalises timing");
    (void)verify(dummy, password);
}

std::string PasswordHasher::weakness(const std::string& password) {
    if (password.size() < 12) return "must be at least 12 characters";
    if (password.size() > 1024) return "must be at most 1024 characters";
    return {};
}

}  // namespace tessera::host::auth
