#include "validation.hpp"

#include <set>

#include <tessera/sdk/rest/text.hpp>

namespace tessera::plugins::contacts {

using namespace sdk::rest;

namespace {

const std::set<std::string>& addressParts() {
    static const std::set<std::string> parts = {"line1", "line2", "city", "region", "postal_code", "country"};
    return parts;
}

std::string tooLong(std::size_t max) { return "must be at most " + std::to_string(max) + " characters"; }

// Checks a string-typed field; returns the error or "".
std::string checkString(const FieldSpec& f, const sdk::Json& v) {
    if (!v.is_string()) return "must be a string";
    const auto& s = v.get_ref<const std::string&>();
    if (f.required && s.empty()) return "must not be empty";
    if (utf8Length(s) > f.max_length) return tooLong(f.max_length);
    if (f.kind == FieldKind::Email && !validEmail(s)) return "not a valid email";
    return "";
}

void checkField(const FieldSpec& f, const sdk::Json& v, sdk::Json& errors) {
    if (v.is_null()) {
        if (f.required) errors[f.name] = "is required";
        return;
    }
    std::string err;
    switch (f.kind) {
        case FieldKind::Text:
        case FieldKind::Email:
        case FieldKind::Reference: err = checkString(f, v); break;
        case FieldKind::Tags: {
            if (!v.is_array()) {
                err = "must be an array of strings";
                break;
            }
            if (v.size() > kMaxTags) {
                err = "must have at most " + std::to_string(kMaxTags) + " tags";
                break;
            }
            std::set<std::string> seen;
            for (const auto& t : v) {
                if (!t.is_string() || t.get_ref<const std::string&>().empty()) {
                    err = "must be an array of non-empty strings";
                } else if (utf8Length(t.get_ref<const std::string&>()) > f.max_length) {
                    err = "each tag " + tooLong(f.max_length);
                } else if (t.get<std::string>().find(';') != std::string::npos) {
                    err = "tags must not contain ';'";  // ';' separates tags in CSV
                } else if (!seen.insert(t.get<std::string>()).second) {
                    err = "must not repeat a tag";
                }
                if (!err.empty()) break;
            }
            break;
        }
        case FieldKind::Address: {
            if (!v.is_object()) {
                err = "must be an object";
                break;
            }
            for (const auto& [k, part] : v.items()) {
                const std::string key = f.name + "." + k;
                if (!addressParts().count(k))
                    errors[key] = "unknown field";
                else if (!part.is_null() && !part.is_string())
                    errors[key] = "must be a string";
                else if (part.is_string() && utf8Length(part.get_ref<const std::string&>()) > f.max_length)
                    errors[key] = tooLong(f.max_length);
            }
            break;
        }
        case FieldKind::Timestamp: err = "is read-only"; break;
    }
    if (!err.empty()) errors[f.name] = err;
}

}  // namespace

bool validEmail(const std::string& e) {
    if (e.size() > 254) return false;
    const auto at = e.find('@');
    if (at == std::string::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string::npos) return false;
    const std::string domain = e.substr(at + 1);
    if (domain.size() < 3 || domain.front() == '.' || domain.back() == '.' || domain.find('.') == std::string::npos ||
        domain.find("..") != std::string::npos)
        return false;
    for (char c : e) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
            c == ':' || c == '\\' || c == '"' || c == '[' || c == ']')
            return false;
    }
    return true;
}

ValidatedInput validateInput(const ResourceSpec& spec, const sdk::Json& body,
                             const std::vector<CustomFieldDef>& defs, bool creating) {
    ValidatedInput in;
    for (const auto& [key, value] : body.items()) {
        if (key == "custom_fields") {
            validateCustomFields(value, defs, in.custom, in.errors);
            continue;
        }
        if (key == "id" || key == "version") {
            in.errors[key] = "is read-only";
            continue;
        }
        const FieldSpec* f = spec.field(key);
        if (!f) {
            in.errors[key] = "unknown field";
            continue;
        }
        if (!f->writable) {
            in.errors[key] = "is read-only";
            continue;
        }
        checkField(*f, value, in.errors);
        in.values[key] = value;
    }
    if (creating)
        for (const auto& f : spec.fields)
            if (f.required && !body.contains(f.name)) in.errors[f.name] = "is required";
    return in;
}

}  // namespace tessera::plugins::contacts
