#pragma once
/// Payment gateway providers for POST /api/v1/billing/webhooks/{provider}.
///
/// A provider knows how its gateway signs a delivery and how to read the payment out of
/// it. To add one: implement GatewayProvider in its own file (see generic_gateway.cpp),
/// add it to the list in gateways.cpp, and document its signature scheme in
/// docs/billing.md. The webhook route does the rest: tenant secret lookup, replay
/// protection on the event id, and recording the payment.

#include <optional>
#include <string>
#include <string_view>

#include <tessera/sdk.hpp>

#include "payments.hpp"

namespace tessera::plugins::billing {

/// One delivery, read by a provider.
struct GatewayEvent {
    std::string event_id;  ///< The provider's unique id of the event: the replay key.
    /// The payment to record, or nullopt for event types that carry none (acknowledged
    /// with 200 and "ignored").
    std::optional<PaymentInput> payment;
    std::string invoice_id;  ///< Our invoice id (or empty when invoice_number is given).
    std::string invoice_number;
};

class GatewayProvider {
public:
    virtual ~GatewayProvider() = default;
    /// The {provider} path segment, e.g. "generic".
    virtual std::string_view name() const = 0;
    /// True when the request carries a valid signature made with `secret`. Must compare
    /// in constant time.
    virtual bool verify(const sdk::Request& req, const std::string& secret) const = 0;
    /// Reads the event. Throws ApiError 422 naming the field for a malformed delivery.
    virtual GatewayEvent parse(const sdk::Request& req) const = 0;
};

/// The provider named `name`, or nullptr.
const GatewayProvider* findGateway(std::string_view name);

/// Lower-case hex HMAC-SHA256 of `data` with `key`.
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// Compares two strings in time independent of where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

/// POST /api/v1/billing/webhooks/{provider} (public: authenticated by the signature).
sdk::Response webhookRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
