#include "pix.hpp"

#include <cstdio>
#include <stdexcept>

#include <boost/crc.hpp>

namespace tessera::plugins::billing {
namespace {

bool printableAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

bool alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// One EMV TLV field: two-digit id, two-digit length, value (at most 99 bytes).
std::string tlv(const char* id, std::string_view value) {
    if (value.size() > 99) throw std::invalid_argument(std::string("field ") + id + " is longer than 99 characters");
    char len[3];
    std::snprintf(len, sizeof len, "%02zu", value.size());
    return std::string(id) + len + std::string(value);
}

}  // namespace

std::uint16_t crc16Ccitt(std::string_view data) {
    boost::crc_ccitt_false_t crc;  // polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

std::string validatePixField(std::string_view field, std::string_view value) {
    if (field == "key") {
        if (value.empty()) return "is required";
        // 99 (template) - 18 ("0014br.gov.bcb.pix") - 4 (id and length of the key) = 77.
        if (value.size() > 77) return "must be at most 77 characters";
        if (!printableAscii(value)) return "must be printable ASCII";
        return "";
    }
    if (field == "merchant_name" || field == "merchant_city") {
        const std::size_t cap = field == "merchant_name" ? 25 : 15;
        if (value.empty()) return "is required";
        if (value.size() > cap) return "must be at most " + std::to_string(cap) + " characters";
        if (!printableAscii(value)) return "must be printable ASCII without accents (BR Code rule)";
        return "";
    }
    if (field == "txid") {
        if (value == "***") return "";
        if (value.empty() || value.size() > 25) return "must be 1-25 letters and digits";
        for (unsigned char c : value)
            if (!alnum(c)) return "must be 1-25 letters and digits";
        return "";
    }
    return "unknown field";
}

std::string pixPayload(const PixCharge& charge) {
    for (auto [field, value] : {std::pair<const char*, const std::string&>{"key", charge.key},
                                {"merchant_name", charge.merchant_name},
                                {"merchant_city", charge.merchant_city},
                                {"txid", charge.txid}})
        if (auto problem = validatePixField(field, value); !problem.empty())
            throw std::invalid_argument(std::string(field) + " " + problem);
    std::string payload = tlv("00", "01");
    payload += tlv("26", tlv("00", "br.gov.bcb.pix") + tlv("01", charge.key));
    payload += tlv("52", "0000");
    payload += tlv("53", "986");  // ISO 4217 numeric code of BRL
    if (charge.amount_cents) {
        if (*charge.amount_cents <= 0) throw std::invalid_argument("amount must be positive");
        const std::string amount = formatAmount(*charge.amount_cents, Currency{"BRL", 2});
        if (amount.size() > 13) throw std::invalid_argument("amount is too large for a BR Code");
        payload += tlv("54", amount);
    }
    payload += tlv("58", "BR");
    payload += tlv("59", charge.merchant_name);
    payload += tlv("60", charge.merchant_city);
    payload += tlv("62", tlv("05", charge.txid));
    payload += "6304";  // the CRC covers its own id and length
    char crc[5];
    std::snprintf(crc, sizeof crc, "%04X", crc16Ccitt(payload));
    return payload + crc;
}

std::string pixTxid(std::string_view document_number) {
    std::string txid;
    for (unsigned char c : document_number)
        if (alnum(c) && txid.size() < 25) txid += static_cast<char>(c);
    return txid.empty() ? "***" : txid;
}

}  // namespace tessera::plugins::billing
