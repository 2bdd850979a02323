#pragma once
/// PIX for an open invoice: GET /api/v1/billing/invoices/{id}/pix gives the BR Code
/// ("copia e cola") for the amount due; /pix.svg and /pix.png give its QR code.

#include <tessera/sdk.hpp>

namespace tessera::plugins::billing {

sdk::Response pixPayloadRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response pixSvgRoute(const sdk::Request& req, sdk::TenantScope& scope);
sdk::Response pixPngRoute(const sdk::Request& req, sdk::TenantScope& scope);

}  // namespace tessera::plugins::billing
