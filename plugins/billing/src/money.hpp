#pragma once
/// Exact money arithmetic for billing: amounts are integers in the currency's minor unit,
/// quantities and percentages are fixed-point decimals parsed from text, and every
/// rounding is half-even and happens once per line component. No floating point is
/// involved anywhere, so the same invoice gives the same cents on every machine.
///
/// It depends on nothing but the SDK's REST library (for the currency list), so it is
/// unit-tested without a host (tests/unit/money_test.cpp).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <tessera/sdk/rest/validation.hpp>

namespace tessera::plugins::billing {

/// An amount in minor units of some currency (cents, yen, fils...).
using Amount = std::int64_t;

/// The largest absolute amount accepted for a price, a line or a total (10^15 minor units).
using sdk::rest::kMaxAmount;

/// Quantities carry up to 6 decimals: 1.5 is stored as 1'500'000.
inline constexpr int kQuantityDecimals = 6;
inline constexpr std::int64_t kQuantityScale = 1'000'000;
/// Percentages carry up to 4 decimals: 12.5 % is stored as 125'000 and 100 % as 1'000'000.
inline constexpr int kPercentDecimals = 4;
inline constexpr std::int64_t kPercentScale = 1'000'000;  ///< The stored value of 100 %.

using sdk::rest::Currency;
using sdk::rest::findCurrency;

/// Thrown when amounts of different currencies are combined.
class CurrencyMismatch : public std::runtime_error {
public:
    CurrencyMismatch(std::string expected, std::string found);
    const std::string& expected() const { return expected_; }
    const std::string& found() const { return found_; }

private:
    std::string expected_;
    std::string found_;
};

/// Thrown when a computation leaves the accepted range (|amount| > kMaxAmount) or a
/// discount exceeds its line. The message is fit for a client.
class AmountOutOfRange : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses a plain decimal ("12", "0.5", "-3.25"; no exponent, no '+', at most
/// `max_decimals` decimals and 12 integer digits) into an integer scaled by
/// 10^max_decimals. Returns nullopt and sets `error` (a client-facing phrase) otherwise.
std::optional<std::int64_t> parseScaledDecimal(std::string_view text, int max_decimals, std::string& error);

/// The shortest decimal text of `scaled / 10^decimals` ("1.5", "2", "-0.0001").
std::string formatScaledDecimal(std::int64_t scaled, int decimals);

/// An amount as a decimal in major units with exactly the currency's decimals:
/// 123456 BRL -> "1234.56", 500 JPY -> "500", 1234 BHD -> "1.234".
std::string formatAmount(Amount amount, const Currency& currency);

/// numerator / denominator rounded to the nearest integer, ties to even (banker's
/// rounding), for either sign. `denominator` must be positive.
__int128 roundHalfEven(__int128 numerator, __int128 denominator);

/// How one invoice line is priced.
struct LineInput {
    Amount unit_price = 0;                 ///< Minor units, >= 0.
    std::int64_t quantity = kQuantityScale;  ///< Scaled by kQuantityScale, > 0.
    /// Either a percentage of the line (scaled by kPercentScale) or a fixed amount; at
    /// most one of them is set.
    std::optional<std::int64_t> discount_percent;
    std::optional<Amount> discount_amount;
    std::int64_t tax_percent = 0;          ///< Scaled by kPercentScale; 0 for untaxed lines.
    bool tax_inclusive = false;            ///< The price already contains the tax.
};

/// The rounded amounts of one line. Always subtotal + tax == total and
/// gross - discount == (tax_inclusive ? total : subtotal).
struct LineAmounts {
    Amount gross = 0;     ///< round(quantity x unit price).
    Amount discount = 0;  ///< round(gross x discount %) or the fixed discount.
    Amount subtotal = 0;  ///< Net of tax.
    Amount tax = 0;
    Amount total = 0;

    /// The same line with every amount negated (credit notes).
    LineAmounts negated() const { return {-gross, -discount, -subtotal, -tax, -total}; }
};

/// Computes one line. Rules, each rounding half-even:
///   gross    = round(quantity x unit_price)
///   discount = round(gross x discount%) or the fixed discount (at most gross)
///   net      = gross - discount
///   exclusive tax: tax = round(net x rate),            subtotal = net,        total = net + tax
///   inclusive tax: tax = round(net x rate / (1+rate)), subtotal = net - tax,  total = net
/// Throws AmountOutOfRange for a discount above the line or amounts past kMaxAmount,
/// std::invalid_argument for a negative price or a non-positive quantity.
LineAmounts computeLine(const LineInput& line);

/// Totals of a document: sums of the rounded lines, never re-rounded.
class DocumentTotals {
public:
    explicit DocumentTotals(std::string currency) : currency_(std::move(currency)) {}

    /// Adds a line priced in `line_currency`. Throws CurrencyMismatch when it differs
    /// from the document's currency and AmountOutOfRange when a total leaves the range.
    void add(std::string_view line_currency, const LineAmounts& line);

    const std::string& currency() const { return currency_; }
    Amount gross() const { return gross_; }
    Amount discount() const { return discount_; }
    Amount subtotal() const { return subtotal_; }
    Amount tax() const { return tax_; }
    Amount total() const { return total_; }

private:
    std::string currency_;
    Amount gross_ = 0, discount_ = 0, subtotal_ = 0, tax_ = 0, total_ = 0;
};

/// Adds two amounts of the same currency. Throws CurrencyMismatch or AmountOutOfRange.
Amount addMoney(Amount a, std::string_view a_currency, Amount b, std::string_view b_currency);

}  // namespace tessera::plugins::billing
