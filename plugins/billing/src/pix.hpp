#pragma once
/// PIX "copia e cola" payloads: the BR Code, an EMV merchant-presented QR payload
/// (EMVCo MPM) with the br.gov.bcb.pix merchant account template, as specified in the
/// Banco Central do Brasil "Manual de Padrões para Iniciação do Pix".
///
/// Standard library only, unit-tested without a host (tests/unit/pix_test.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "money.hpp"

namespace tessera::plugins::billing {

/// What a static BR Code carries.
struct PixCharge {
    std::string key;            ///< The receiver's PIX key (CPF/CNPJ, e-mail, phone, EVP), at most 77 characters.
    std::string merchant_name;  ///< At most 25 characters of printable ASCII.
    std::string merchant_city;  ///< At most 15 characters of printable ASCII.
    std::optional<Amount> amount_cents;  ///< BRL cents; absent lets the payer type the amount.
    std::string txid = "***";   ///< Up to 25 letters and digits, or "***" for none.
};

/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final
/// XOR): the checksum field 63 of a BR Code.
std::uint16_t crc16Ccitt(std::string_view data);

/// What is wrong with a charge, keyed by field ("key", "merchant_name", ...); empty when valid.
/// Values are client-facing phrases.
std::string validatePixField(std::string_view field, std::string_view value);

/// The BR Code for `charge`, ending with "6304" and its CRC in upper-case hex.
/// Throws std::invalid_argument naming the field when validatePixField() rejects one.
std::string pixPayload(const PixCharge& charge);

/// A txid for a document number: its letters and digits, at most 25 ("INV-2026-000123" ->
/// "INV2026000123"); "***" when nothing is left.
std::string pixTxid(std::string_view document_number);

}  // namespace tessera::plugins::billing
