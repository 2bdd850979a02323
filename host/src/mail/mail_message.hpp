#pragma once
// Turning a queued message into what goes over SMTP: RFC 5322 headers (non-ASCII subject
// and sender names as RFC 2047 encoded words), a UTF-8 text body in quoted-printable so
// no line exceeds SMTP's limit, and Mustache rendering of tenant templates.

#include <string>

#include <tessera/sdk/http.hpp>

namespace tessera::host {

struct ComposedMail {
    std::string from;  // "Name <address>" or "address"
    std::string to;
    std::string subject;
    std::string body;
    std::string message_id;  // without angle brackets
};

std::string composeMessage(const ComposedMail& mail);
// The bare address of "Name <address>" (or the text itself).
std::string envelopeAddress(const std::string& from);
// Renders `text` with `data`; values are inserted as they are (plain-text mail, no HTML
// escaping). Throws std::invalid_argument with the template error.
std::string renderTemplate(const std::string& text, const sdk::Json& data);

}  // namespace tessera::host
