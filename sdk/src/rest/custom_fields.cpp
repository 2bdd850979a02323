#include <tessera/sdk/rest/custom_fields.hpp>

#include <cmath>
#include <set>

#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/validation.hpp>
#include <tessera/sdk/rest/text.hpp>

namespace tessera::sdk::rest {
namespace {

constexpr std::size_t kMaxTextValue = 1000;
constexpr std::size_t kMaxOptions = 100;
constexpr std::size_t kMaxDefinitions = 100;

std::optional<CustomType> parseType(const std::string& s) {
    if (s == "text") return CustomType::Text;
    if (s == "number") return CustomType::Number;
    if (s == "date") return CustomType::Date;
    if (s == "boolean") return CustomType::Boolean;
    if (s == "select") return CustomType::Select;
    if (s == "multi_select") return CustomType::MultiSelect;
    return std::nullopt;
}

// Keys end up inside JSON paths in SQL text, so they are restricted to a safe alphabet.
bool validKey(const std::string& k) {
    if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z') return false;
    for (char c : k)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

bool hasOption(const CustomFieldDef& def, const std::string& v) {
    for (const auto& o : def.options)
        if (o == v) return true;
    return false;
}

}  // namespace

const char* customTypeName(CustomType type) {
    switch (type) {
        case CustomType::Text: return "text";
        case CustomType::Number: return "number";
        case CustomType::Date: return "date";
        case CustomType::Boolean: return "boolean";
        case CustomType::Select: return "select";
        case CustomType::MultiSelect: return "multi_select";
    }
    return "text";
}

Json CustomFieldDef::toJson() const {
    Json j = {{"key", key}, {"label", label}, {"type", customTypeName(type)}, {"created_at", created_at}};
    if (type == CustomType::Select || type == CustomType::MultiSelect) j["options"] = options;
    return j;
}

std::vector<CustomFieldDef> loadDefinitions(Database& db, const CustomFieldStore& store) {
    std::vector<CustomFieldDef> out;
    std::string sql = "SELECT field_key, label, field_type, options, created_at FROM " + store.definitions_table;
    Params params;
    if (!store.entity.empty()) {
        sql += " WHERE entity = ?";
        params.emplace_back(store.entity);
    }
    for (const auto& row : db.query(sql + " ORDER BY field_key", params)) {
        CustomFieldDef d;
        d.key = row["field_key"].asText();
        d.label = row["label"].asText();
        d.type = parseType(row["field_type"].asText()).value_or(CustomType::Text);
        auto opts = parseJson(row["options"].asText());
        if (opts.is_array())
            for (const auto& o : opts)
                if (o.is_string()) d.options.push_back(o.get<std::string>());
        d.created_at = row["created_at"].asText();
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<std::string> customValueError(const CustomFieldDef& def, const Json& v) {
    if (v.is_null()) return std::nullopt;
    switch (def.type) {
        case CustomType::Text:
            if (!v.is_string()) return "must be a string";
            if (utf8Length(v.get_ref<const std::string&>()) > kMaxTextValue)
                return "must be at most " + std::to_string(kMaxTextValue) + " characters";
            return std::nullopt;
        case CustomType::Number:
            if (!v.is_number() || !std::isfinite(v.get<double>())) return "must be a number";
            return std::nullopt;
        case CustomType::Date:
            if (!v.is_string() || !validDate(v.get_ref<const std::string&>())) return "must be a date (YYYY-MM-DD)";
            return std::nullopt;
        case CustomType::Boolean:
            if (!v.is_boolean()) return "must be true or false";
            return std::nullopt;
        case CustomType::Select:
            if (!v.is_string() || !hasOption(def, v.get<std::string>())) return "must be one of the field's options";
            return std::nullopt;
        case CustomType::MultiSelect: {
            if (!v.is_array()) return "must be an array of the field's options";
            std::set<std::string> seen;
            for (const auto& e : v) {
                if (!e.is_string() || !hasOption(def, e.get<std::string>()))
                    return "must be an array of the field's options";
                if (!seen.insert(e.get<std::string>()).second) return "must not repeat an option";
            }
            return std::nullopt;
        }
    }
    return std::nullopt;
}

Json customValueFromText(const CustomFieldDef& def, const std::string& text) {
    if (text.empty()) return nullptr;
    switch (def.type) {
        case CustomType::Number: {
            std::size_t used = 0;
            try {
                const double d = std::stod(text, &used);
                if (used == text.size()) return d;
            } catch (const std::exception&) {
            }
            return text;  // rejected as "must be a number"
        }
        case CustomType::Boolean:
            if (text == "true" || text == "1" || text == "yes") return true;
            if (text == "false" || text == "0" || text == "no") return false;
            return text;
        case CustomType::MultiSelect: {
            Json arr = Json::array();
            std::size_t start = 0;
            while (start <= text.size()) {
                auto end = text.find(';', start);
                if (end == std::string::npos) end = text.size();
                if (end > start) arr.push_back(text.substr(start, end - start));
                start = end + 1;
            }
            return arr;
        }
        default: return text;
    }
}

void validateCustomFields(const Json& value, const std::vector<CustomFieldDef>& defs, Json& patch,
                          FieldErrors& errors) {
    if (!value.is_object()) {
        errors.add("custom_fields", "must be an object");
        return;
    }
    for (const auto& [key, v] : value.items()) {
        const std::string name = "custom_fields." + key;
        const CustomFieldDef* def = nullptr;
        for (const auto& d : defs)
            if (d.key == key) def = &d;
        if (!def) errors.add(name, "unknown custom field");
        else if (auto err = customValueError(*def, v)) errors.add(name, *err);
        else patch[key] = v;
    }
}

Json applyCustomFieldPatch(Json& custom_fields, const Json& patch) {
    if (!custom_fields.is_object()) custom_fields = Json::object();
    Json changes = Json::object();
    for (const auto& [k, v] : patch.items()) {
        const Json before = custom_fields.contains(k) ? custom_fields[k] : Json();
        if (before == v) continue;
        changes["custom_fields." + k] = {{"from", before}, {"to", v}};
        if (v.is_null()) custom_fields.erase(k);
        else custom_fields[k] = v;
    }
    return changes;
}

Response listCustomFields(const CustomFieldStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    Json data = Json::array();
    for (const auto& d : loadDefinitions(scope.db(), store)) data.push_back(d.toJson());
    return Response::json({{"data", std::move(data)}, {"next_cursor", nullptr}});
}

Response createCustomField(const CustomFieldStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    const Json body = parseJsonObject(req);
    FieldErrors errors;
    BodyReader in(body, {"key", "label", "type", "options"}, errors);
    CustomFieldDef def;
    if (const auto* key = in.field("key", true)) {
        if (key->is_string() && validKey(key->get<std::string>())) def.key = key->get<std::string>();
        else in.error("key", "must be 1-40 characters a-z, 0-9 or _, starting with a letter");
    }
    def.label = in.text("label", 100, true).value_or("");
    const auto type_name = in.oneOf("type", {"text", "number", "date", "boolean", "select", "multi_select"}, true);
    const auto type = type_name ? parseType(*type_name) : std::nullopt;
    if (type) def.type = *type;
    const bool needs_options = type && (*type == CustomType::Select || *type == CustomType::MultiSelect);
    if (const auto* o = in.field("options", needs_options)) {
        bool ok = needs_options && o->is_array() && !o->empty() && o->size() <= kMaxOptions;
        std::set<std::string> seen;
        if (ok)
            for (const auto& e : *o) {
                if (textProblem(e, 100, false) || !seen.insert(e.get<std::string>()).second) {
                    ok = false;
                    break;
                }
                def.options.push_back(e.get<std::string>());
            }
        if (!ok)
            in.error("options", needs_options ? "must be 1-100 distinct non-empty strings of at most 100 characters"
                                              : "only select and multi_select fields have options");
    }
    errors.throwIfAny();

    auto& db = scope.db();
    const std::string where = store.entity.empty() ? "" : " WHERE entity = ?";
    const Params where_params = store.entity.empty() ? Params{} : Params{store.entity};
    const auto count = db.queryOne("SELECT COUNT(*) AS n FROM " + store.definitions_table + where, where_params);
    if (count && (*count)["n"].asInt() >= static_cast<std::int64_t>(kMaxDefinitions))
        throw ApiError(422, "validation_failed", "too many custom fields",
                       {{"key", "at most " + std::to_string(kMaxDefinitions) + " custom fields per collection"}});
    def.created_at = nowIso();
    Params params;
    if (!store.entity.empty()) params.emplace_back(store.entity);
    params.insert(params.end(), {def.key, def.label, customTypeName(def.type), Json(def.options).dump(), def.created_at});
    try {
        db.execute("INSERT INTO " + store.definitions_table + " (" + (store.entity.empty() ? "" : "entity, ") +
                       "field_key, label, field_type, options, created_at) VALUES (" +
                       (store.entity.empty() ? "" : "?, ") + "?, ?, ?, ?, ?)",
                   params);
    } catch (const UniqueViolation&) {
        throw ApiError(409, "custom_field_exists", "a custom field with this key already exists",
                       {{"key", "already defined"}});
    }
    auto r = Response::json(def.toJson(), 201);
    r.headers["Location"] = req.path + "/" + def.key;
    return r;
}

Response deleteCustomField(const CustomFieldStore& store, const Request& req, TenantScope& scope) {
    allowOnlyParams(req, {});
    const std::string& key = req.param("key");
    auto& db = scope.db();
    if (!validKey(key)) throw ApiError(404, "custom_field_not_found", "no such custom field");
    db.transaction([&] {
        const std::int64_t deleted =
            store.entity.empty()
                ? db.execute("DELETE FROM " + store.definitions_table + " WHERE field_key = ?", {key})
                : db.execute("DELETE FROM " + store.definitions_table + " WHERE entity = ? AND field_key = ?",
                             {store.entity, key});
        if (deleted == 0) throw ApiError(404, "custom_field_not_found", "no such custom field");
        // Drop stored values so a later field with the same key starts clean.
        const std::string now = nowIso();
        const std::string& table = store.records_table;
        if (db.engine() == Engine::Sqlite)
            db.execute("UPDATE " + table + " SET custom_fields = json_remove(custom_fields, ?), version = version + 1,"
                       " updated_at = ? WHERE json_type(custom_fields, ?) IS NOT NULL",
                       {"$." + key, now, "$." + key});
        else
            db.execute("UPDATE " + table + " SET custom_fields = CAST(CAST(custom_fields AS JSONB) - CAST(? AS TEXT) AS TEXT),"
                       " version = version + 1, updated_at = ? WHERE CAST(custom_fields AS JSONB) ->> CAST(? AS TEXT) IS NOT NULL",
                       {key, now, key});
    });
    return Response::empty();
}

}  // namespace tessera::sdk::rest
