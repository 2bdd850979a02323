#pragma once
/// JSON as plugins and the host read it: nlohmann::json, parsed through parseJson so that
/// no document nests deeper than the process can walk.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tessera::sdk {

using Json = nlohmann::json;

/// The deepest nesting of arrays and objects any JSON text may have anywhere in the
/// process: request bodies (the host's `max_json_depth`, 64 by default, may only be lower),
/// stored JSON columns, Lua's json.decode, manifests. Code that walks a Json recursively
/// may rely on it: 256 frames are nothing, while 100,000 (a 200 KB body) overflowed the
/// stack. Values built in code (from Lua tables, say) are bounded where they are built.
inline constexpr std::size_t kMaxJsonDepth = 256;

/// Why parseJson returned no value.
enum class JsonError { none, syntax, too_deep };

namespace detail {
// nlohmann's DOM builder, refusing an array or object that opens deeper than the limit:
// the text is read once and nothing deeper is ever built.
class DepthLimitedSax {
public:
    DepthLimitedSax(Json& result, std::size_t max_depth) : dom_(result, false), max_depth_(max_depth) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(Json::number_float_t v, const Json::string_t& s) { return dom_.number_float(v, s); }
    bool string(Json::string_t& v) { return dom_.string(v); }
    bool binary(Json::binary_t& v) { return dom_.binary(v); }
    bool key(Json::string_t& v) { return dom_.key(v); }
    bool start_object(std::size_t n) { return open() && dom_.start_object(n); }
    bool end_object() { return close() && dom_.end_object(); }
    bool start_array(std::size_t n) { return open() && dom_.start_array(n); }
    bool end_array() { return close() && dom_.end_array(); }
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
        return dom_.parse_error(position, token, e);
    }

    bool tooDeep() const { return too_deep_; }

private:
    bool open() {
        if (++depth_ <= max_depth_) return true;
        too_deep_ = true;
        return false;
    }
    bool close() {
        --depth_;
        return true;
    }

    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::size_t max_depth_;
    std::size_t depth_ = 0;
    bool too_deep_ = false;
};
}  // namespace detail

/// Parses `text` as one JSON document. On failure returns a discarded value
/// (`is_discarded()`, as `Json::parse(text, nullptr, false)` does) and, when `error` is
/// given, says why: not JSON, or nested deeper than `max_depth` (at most kMaxJsonDepth).
/// Never throws for bad input. Use it instead of Json::parse for any text that did not
/// come from this process's own constants.
inline Json parseJson(std::string_view text, JsonError* error = nullptr, std::size_t max_depth = kMaxJsonDepth) {
    Json result;
    detail::DepthLimitedSax sax(result, max_depth < kMaxJsonDepth ? max_depth : kMaxJsonDepth);
    const bool ok = Json::sax_parse(text, &sax, nlohmann::detail::input_format_t::json, true);
    if (error) *error = ok ? JsonError::none : sax.tooDeep() ? JsonError::too_deep : JsonError::syntax;
    return ok ? result : Json(Json::value_t::discarded);
}

/// How deeply the JSON text `text` nests its arrays and objects, read without parsing it
/// (strings and their escapes are skipped); stops counting once past `limit`, so a
/// hostile text costs one pass. For a text that is not JSON the count is meaningless but
/// still bounded by the text's length.
inline std::size_t jsonNesting(std::string_view text, std::size_t limit) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest && (deepest = depth) > limit) return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

}  // namespace tessera::sdk
