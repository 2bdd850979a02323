#pragma once
/// ISO 4217 currency codes accepted for deal amounts.

#include <string_view>

namespace tessera::plugins::deals {

/// True for an active ISO 4217 code of a currency (upper case, e.g. "EUR", "BRL").
/// Precious metals, bond units and test codes (XAU, XDR, XTS, XXX...) are refused: they
/// are not what a deal is priced in.
bool isCurrencyCode(std::string_view code);

}  // namespace tessera::plugins::deals
