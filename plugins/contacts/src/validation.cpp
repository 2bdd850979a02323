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

void checkTags(const FieldSpec& f, const sdk::Json& v, BodyReader& in) {
    if (!v.is_array()) return in.error(f.name, "must be an array of strings");
    if (v.size() > kMaxTags) return in.error(f.name, "must have at most " + std::to_string(kMaxTags) + " tags");
    std::set<std::string> seen;
    for (const auto& t : v) {
        if (auto problem = textProblem(t, f.max_length, false))
            return in.error(f.name, t.is_string() && !t.get_ref<const std::string&>().empty()
                                        ? "each tag " + *problem
                                        : "must be an array of non-empty strings");
        if (t.get<std::string>().find(';') != std::string::npos)
            return in.error(f.name, "tags must not contain ';'");  // ';' separates tags in CSV
        if (!seen.insert(t.get<std::string>()).second) return in.error(f.name, "must not repeat a tag");
    }
}

void checkAddress(const FieldSpec& f, const sdk::Json& v, FieldErrors& errors) {
    if (!v.is_object()) return errors.add(f.name, "must be an object");
    BodyReader parts(v, addressParts(), errors, f.name + ".");
    for (const auto& part : addressParts()) parts.text(part, f.max_length);
}

// Reads one field of the spec; the value goes to `values` only when it is valid.
void checkField(const FieldSpec& f, BodyReader& in, FieldErrors& errors, sdk::Json& values) {
    const bool required = f.required;
    if (in.isNull(f.name) && !required) {
        values[f.name] = nullptr;
        return;
    }
    const sdk::Json* v = nullptr;
    switch (f.kind) {
        case FieldKind::Text:
        case FieldKind::Reference:
            if (in.text(f.name, f.max_length, required)) v = &in.raw(f.name);
            break;
        case FieldKind::Email:
            if (in.email(f.name, f.max_length, required)) v = &in.raw(f.name);
            break;
        case FieldKind::Tags:
        case FieldKind::Address:
            if ((v = in.field(f.name, required))) {
                if (f.kind == FieldKind::Tags) checkTags(f, *v, in);
                else checkAddress(f, *v, errors);
            }
            break;
        case FieldKind::Timestamp: return;  // read-only: refused when the reader was made
    }
    if (v) values[f.name] = *v;
}

}  // namespace

ValidatedInput validateInput(const ResourceSpec& spec, const sdk::Json& body,
                             const std::vector<CustomFieldDef>& defs, bool creating) {
    ValidatedInput in;
    std::set<std::string> writable = {"custom_fields"}, read_only;
    for (const auto& f : spec.fields) (f.writable ? writable : read_only).insert(f.name);
    BodyReader reader(body, writable, in.errors, "", read_only);
    for (const auto& f : spec.fields)
        if (f.writable && (reader.has(f.name) || (creating && f.required))) checkField(f, reader, in.errors, in.values);
    if (reader.has("custom_fields")) validateCustomFields(body["custom_fields"], defs, in.custom, in.errors);
    return in;
}

}  // namespace tessera::plugins::contacts
