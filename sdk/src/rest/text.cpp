#include <tessera/sdk/rest/text.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <nlohmann/json.hpp>

namespace tessera::sdk::rest {
namespace {

// Decodes one code point at `i`; returns false on malformed input.
bool decode(std::string_view s, std::size_t& i, std::uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra = 0;
    std::uint32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    } else if ((b0 & 0xE0) == 0xC0) {
        cp = b0 & 0x1F, extra = 1, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        cp = b0 & 0x0F, extra = 2, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        cp = b0 & 0x07, extra = 3, min = 0x10000;
    } else {
        return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
    return true;
}

// ICU's rules for search folding: any script to Latin, Latin to ASCII, lower case, so
// "Ñandú", "Dvořák", "Αθήνα" and "Москва" become "nandu", "dvorak", "athena", "moskva"
// and a search typed in either spelling finds them. A transliterator is costly to build
// and not safe to share between threads: one per thread, built on first use.
const icu::Transliterator& searchFolding() {
    thread_local const std::unique_ptr<icu::Transliterator> folding = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
            "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status) || !t)
            throw std::runtime_error(std::string("ICU has no search folding: ") + u_errorName(status));
        return t;
    }();
    return *folding;
}

// The folding of text whose every other letter is an ASCII letter with accents ("João",
// "Dvořák", most names): canonical decomposition, then the accents dropped, which is what
// the transliterator makes of them at about a twentieth of its cost (it took 35 µs for
// a name and an e-mail, a fifth of a contact's PATCH). nullopt when anything else is in
// the text (Ø, ß, Greek, symbols): that takes the transliterator.
std::optional<std::string> foldAccentedAscii(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) return std::nullopt;
    const icu::UnicodeString decomposed =
        nfd->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size()))), status);
    if (U_FAILURE(status)) return std::nullopt;
    std::string out;
    out.reserve(text.size());
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (c < 0x80) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        else if (u_charType(c) != U_NON_SPACING_MARK) return std::nullopt;
    }
    return out;
}

}  // namespace

bool validUtf8(std::string_view text) {
    std::size_t i = 0;
    std::uint32_t cp = 0;
    while (i < text.size())
        if (!decode(text, i, cp)) return false;
    return true;
}

std::size_t utf8Length(std::string_view text) {
    std::size_t n = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string searchKey(std::string_view text) {
    bool ascii = true;
    for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return lowerAscii(text);  // most keys: no need for ICU
    if (auto folded = foldAccentedAscii(text)) return *folded;
    // Stored text is validated UTF-8; ICU turns anything malformed into U+FFFD.
    icu::UnicodeString folded = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    searchFolding().transliterate(folded);
    std::string out;
    folded.toUTF8String(out);
    return out;
}

std::string digitsOnly(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string containsPattern(std::string_view needle) {
    std::string out = "%";
    for (char c : needle) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    out += '%';
    return out;
}

namespace {

// Whether any of the 8 bytes in `w` needs more than a copy into a JSON string: a control
// character, '"', '\\' or a byte of a multi-byte UTF-8 sequence. Bit tricks on the whole
// word (the classic "has zero byte" test), so plain ASCII text goes 8 bytes at a time.
bool wordNeedsCare(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
    if (w & kHighs) return true;
    const auto has_zero = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
    const bool control = ((w - kOnes * 0x20) & ~w & kHighs) != 0;  // exact for bytes < 0x80
    return control || has_zero(w ^ (kOnes * '"')) || has_zero(w ^ (kOnes * '\\'));
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    static const char* hex = "0123456789abcdef";
    const std::size_t rollback = out.size();
    out += '"';
    std::size_t plain = 0;  // start of the bytes not yet copied
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size()) {
            std::uint64_t w;
            std::memcpy(&w, text.data() + i, 8);
            if (!wordNeedsCare(w)) {
                i += 8;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            std::uint32_t cp = 0;
            if (!decode(text, i, cp)) {
                // Not UTF-8: let nlohmann write it with U+FFFD, as every other response does.
                out.resize(rollback);
                out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            continue;
        }
        ++i;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text, plain, i - 1 - plain);
        plain = i;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
        }
    }
    out.append(text, plain, text.size() - plain);
    out += '"';
}

int hexDigitValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string base64url(std::string_view in) {
    static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 6) {
            out += kChars[(buf >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits > 0) out += kChars[(buf << (6 - bits)) & 63];
    return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
    std::string out;
    std::uint32_t buf = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-') v = 62;
        else if (c == '_') v = 63;
        else return std::nullopt;
        buf = (buf << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            out += static_cast<char>((buf >> (bits - 8)) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

}  // namespace tessera::sdk::rest
