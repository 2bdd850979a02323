#pragma once
// HMAC-SHA256 as lower-case hex: what webhook senders (Tessera's and payment gateways')
// put in their signature headers, for tests that sign or check a delivery.

#include <string>

namespace tessera::test {

std::string hmacHex(const std::string& key, const std::string& data);

}  // namespace tessera::test
