#include "mail/mail_message.hpp"

#include <ctime>
#include <stdexcept>

#include <kainjow/mustache.hpp>
#include <openssl/evp.h>

namespace tessera::host {
namespace {

bool isAscii(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::string encodedWord(const std::string& text) {
    if (isAscii(text)) return text;
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    out.resize(static_cast<std::size_t>(n));
    return "=?UTF-8?B?" + out + "?=";
}

std::string encodedFrom(const std::string& from) {
    const auto lt = from.find('<');
    if (lt == std::string::npos || lt == 0) return from;
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return encodedWord(name) + " " + from.substr(lt);
}

// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks before 76 characters.
std::string quotedPrintable(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out, line;
    auto flush = [&](bool hard) {
        out += line;
        out += hard ? "\r\n" : "=\r\n";
        line.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r') continue;
        if (c == '\n') {
            // Trailing whitespace would be stripped in transit: encode it.
            if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
                const char last = line.back();
                line.pop_back();
                line += '=';
                line += hex[static_cast<unsigned char>(last) >> 4];
                line += hex[static_cast<unsigned char>(last) & 15];
            }
            flush(true);
            continue;
        }
        std::string piece;
        if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') piece = static_cast<char>(c);
        else piece = {'=', hex[c >> 4], hex[c & 15]};
        if (line.size() + piece.size() > 75) flush(false);
        line += piece;
    }
    if (!line.empty()) flush(true);
    return out;
}

kainjow::mustache::data toMustache(const sdk::Json& j) {
    using kainjow::mustache::data;
    if (j.is_object()) {
        data d{data::type::object};
        for (const auto& [k, v] : j.items()) d.set(k, toMustache(v));
        return d;
    }
    if (j.is_array()) {
        data d{data::type::list};
        for (const auto& v : j) d.push_back(toMustache(v));
        return d;
    }
    if (j.is_boolean()) return data{j.get<bool>()};
    if (j.is_null()) return data{false};
    if (j.is_string()) return data{j.get<std::string>()};
    return data{j.dump()};
}

}  // namespace

std::string envelopeAddress(const std::string& from) {
    const auto lt = from.find('<'), gt = from.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) return from.substr(lt + 1, gt - lt - 1);
    return from;
}

std::string composeMessage(const ComposedMail& mail) {
    char date[64];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string m;
    m += "Date: " + std::string(date) + "\r\n";
    m += "From: " + encodedFrom(mail.from) + "\r\n";
    m += "To: <" + mail.to + ">\r\n";
    m += "Subject: " + encodedWord(mail.subject) + "\r\n";
    m += "Message-ID: <" + mail.message_id + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: quoted-printable\r\n";
    m += "\r\n";
    m += quotedPrintable(mail.body);
    return m;
}

std::string renderTemplate(const std::string& text, const sdk::Json& data) {
    kainjow::mustache::mustache tmpl{text};
    if (!tmpl.is_valid()) throw std::invalid_argument(tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    std::string out = tmpl.render(toMustache(data));
    if (!tmpl.is_valid()) throw std::invalid_argument(tmpl.error_message());
    return out;
}

}  // namespace tessera::host
