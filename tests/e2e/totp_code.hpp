#pragma once
// What an authenticator app shows for a base32 TOTP secret (liboath, like the host).
#include <gtest/gtest.h>
#include <liboath/oath.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace tessera::test {

inline std::string totpNow(const std::string& secret, std::time_t when = std::time(nullptr)) {
    oath_init();
    char* raw = nullptr;
    size_t len = 0;
    EXPECT_EQ(oath_base32_decode(secret.data(), secret.size(), &raw, &len), OATH_OK);
    char out[7] = {};
    oath_totp_generate(raw, len, when, 30, 0, 6, out);
    std::free(raw);
    return out;
}

}  // namespace tessera::test
