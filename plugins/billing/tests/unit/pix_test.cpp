// BR Code ("PIX copia e cola") payloads and their CRC16, checked against the Banco
// Central do Brasil manual's example and against payloads assembled field by field here.

#include <gtest/gtest.h>

#include "pix.hpp"

namespace tessera::plugins::billing {
namespace {

TEST(PixCrc, MatchesTheCrc16CcittFalseCheckValue) {
    // The catalogued check value of CRC-16/CCITT-FALSE for "123456789".
    EXPECT_EQ(crc16Ccitt("123456789"), 0x29B1);
    EXPECT_EQ(crc16Ccitt(""), 0xFFFF);
}

TEST(PixPayload, ReproducesTheCentralBankManualExample) {
    // Example of the BCB "Manual de Padrões para Iniciação do Pix" (static QR, EVP key,
    // no amount, txid "***"), CRC 1D3D.
    const std::string expected =
        "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
        "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";
    PixCharge c;
    c.key = "123e4567-e12b-12d1-a456-426655440000";
    c.merchant_name = "Fulano de Tal";
    c.merchant_city = "BRASILIA";
    EXPECT_EQ(pixPayload(c), expected);
    EXPECT_EQ(crc16Ccitt(expected.substr(0, expected.size() - 4)), 0x1D3D);
}

TEST(PixPayload, WithAmountAndTxidMatchesAHandBuiltPayload) {
    // Field by field, lengths counted by hand:
    const std::string body = std::string("000201")                  // 00 payload format "01"
                             + "2636"                                // 26 merchant account, 36 chars:
                             + "0014br.gov.bcb.pix"                  //    00 GUI
                             + "0114+5511999990000"                  //    01 key
                             + "52040000"                            // 52 MCC
                             + "5303986"                             // 53 currency BRL
                             + "540812345.67"                        // 54 amount
                             + "5802BR"                              // 58 country
                             + "5914Loja Exemplo A"                  // 59 merchant name
                             + "6009SAO PAULO"                       // 60 city
                             + "6217" + "0513INV2026000123"          // 62 additional data: 05 txid
                             + "6304";                               // 63 CRC id and length
    // CRC computed outside this code base (Python binascii.crc_hqx(body, 0xFFFF)).
    const std::string expected = body + "178A";
    PixCharge c;
    c.key = "+5511999990000";
    c.merchant_name = "Loja Exemplo A";
    c.merchant_city = "SAO PAULO";
    c.amount_cents = 1234567;
    c.txid = pixTxid("INV-2026-000123");
    EXPECT_EQ(c.txid, "INV2026000123");
    EXPECT_EQ(pixPayload(c), expected);
}

TEST(PixPayload, RefusesFieldsTheSpecForbids) {
    PixCharge c;
    c.key = "ana@example.com";
    c.merchant_name = "Padaria São João";  // not ASCII
    c.merchant_city = "RECIFE";
    EXPECT_THROW(pixPayload(c), std::invalid_argument);
    c.merchant_name = "A name longer than twenty-five";
    EXPECT_THROW(pixPayload(c), std::invalid_argument);
    c.merchant_name = "Padaria";
    c.merchant_city = "A city too long!";
    EXPECT_THROW(pixPayload(c), std::invalid_argument);
    c.merchant_city = "RECIFE";
    c.txid = "has-dash";
    EXPECT_THROW(pixPayload(c), std::invalid_argument);
    c.txid = "***";
    c.amount_cents = 0;
    EXPECT_THROW(pixPayload(c), std::invalid_argument);
    c.amount_cents = 100;
    EXPECT_NO_THROW(pixPayload(c));
    EXPECT_EQ(validatePixField("key", std::string(78, 'k')), "must be at most 77 characters");
    EXPECT_EQ(pixTxid("---"), "***");
    EXPECT_EQ(pixTxid("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"), "ABCDEFGHIJKLMNOPQRSTUVWXY");
}

}  // namespace
}  // namespace tessera::plugins::billing
