#include "records.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <variant>

#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/dates.hpp>
#include <tessera/sdk/rest/errors.hpp>
#include <tessera/sdk/rest/ids.hpp>
#include <tessera/sdk/rest/rows.hpp>
#include <tessera/sdk/rest/text.hpp>
#include <tessera/sdk/rest/writes.hpp>

#include "validation.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

namespace {

bool isJsonColumn(FieldKind k) { return k == FieldKind::Tags || k == FieldKind::Address; }

// Writable columns in spec order (everything but timestamps).
std::vector<const FieldSpec*> writableFields(const ResourceSpec& spec) {
    std::vector<const FieldSpec*> out;
    for (const auto& f : spec.fields)
        if (f.writable) out.push_back(&f);
    return out;
}

sdk::Value columnValue(const FieldSpec& f, const sdk::Json& record) {
    const auto& v = record.contains(f.name) ? record[f.name] : sdk::Json();
    if (v.is_null()) return f.kind == FieldKind::Tags ? sdk::Value("[]") : sdk::Value();
    if (isJsonColumn(f.kind)) return sdk::Value(v.dump());
    return sdk::Value(v.get<std::string>());
}

sdk::Value emailKey(const sdk::Json& record) {
    if (!record.contains("email") || !record["email"].is_string()) return {};
    return sdk::Value(lowerAscii(record["email"].get<std::string>()));
}

// The normalised text `q` searches; the company name is matched through a subquery.
std::string searchText(const sdk::Json& r) {
    std::string out;
    for (const char* key : {"name", "email", "phone", "domain"}) {
        if (!r.contains(key) || !r[key].is_string()) continue;
        out += searchKey(r[key].get<std::string>());
        out += " | ";
    }
    if (r.contains("phone") && r["phone"].is_string()) out += digitsOnly(r["phone"].get<std::string>());
    return out;
}

void checkReferences(const ResourceSpec& spec, sdk::Database& db, const sdk::Json& values, FieldErrors& errors) {
    for (const auto& f : spec.fields) {
        if (f.kind != FieldKind::Reference || !values.contains(f.name) || !values[f.name].is_string() ||
            errors.has(f.name))
            continue;
        if (!db.queryOne("SELECT 1 AS x FROM " + f.references + " WHERE id = ?", {values[f.name].get<std::string>()}))
            errors.add(f.name, "no such " + std::string(f.references == "contacts_companies" ? "company" : "record"));
    }
}

void checkDuplicate(const ResourceSpec& spec, sdk::Database& db, const sdk::Json& record) {
    if (!spec.unique_email) return;
    const auto key = emailKey(record);
    if (key.isNull()) return;
    const std::string id = record.value("id", "");
    if (auto row = db.queryOne("SELECT id FROM " + spec.table + " WHERE email_key = ? AND id <> ?", {key, id}))
        throw DuplicateEmail((*row)["id"].asText());
}

// Pending rows moved into the trigram index at once (migration 0006): one FTS5 flush per
// batch instead of one per write, while a search reads at most this many rows unindexed.
constexpr std::int64_t kSearchIndexBatch = 64;

}  // namespace

void indexPendingSearch(sdk::Database& db, const ResourceSpec& spec) {
    if (db.engine() != sdk::Engine::Sqlite) return;
    const std::string pending = spec.table + "_search_pending", index = spec.table + "_search";
    if (!db.queryOne("SELECT 1 AS due FROM " + pending + " LIMIT 1 OFFSET " + std::to_string(kSearchIndexBatch - 1)))
        return;
    db.transaction([&] {
        db.execute("INSERT INTO " + index + " (" + index + ", rowid, search_text) SELECT 'delete', row, old_text FROM " +
                   pending + " WHERE old_text IS NOT NULL");
        db.execute("INSERT INTO " + index + " (rowid, search_text) SELECT t.rowid, t.search_text FROM " + pending +
                   " AS p JOIN " + spec.table + " AS t ON t.rowid = p.row");
        db.execute("DELETE FROM " + pending);
    });
}

std::size_t refreshSearchKeys(sdk::Database& db, const ResourceSpec& spec) {
    constexpr std::size_t kBatch = 500;  // rows per transaction: short enough not to hold up writers
    const std::string stale = "SELECT " + selectColumns(spec) + " FROM " + spec.table +
                              " WHERE search_key_version < " + std::to_string(kSearchKeyVersion) + " ORDER BY id LIMIT " +
                              std::to_string(kBatch);
    std::size_t refreshed = 0;
    for (;;) {
        std::size_t batch = 0;
        db.transaction([&] {
            for (const auto& row : db.query(stale)) {
                const auto record = rowToJson(spec, row);
                // Not a change of the record: its version and updated_at stay.
                db.execute("UPDATE " + spec.table + " SET search_text = ?, search_key_version = ? WHERE id = ?",
                           {searchText(record), kSearchKeyVersion, record["id"].get<std::string>()});
                ++batch;
            }
        });
        refreshed += batch;
        indexPendingSearch(db, spec);
        if (batch < kBatch) return refreshed;
    }
}

DuplicateEmail::DuplicateEmail(std::string existing_id)
    : sdk::ApiError(409, "duplicate_email", "a contact with this email already exists",
                    {{"email", "already used by contact " + existing_id}}),
      existing_id_(std::move(existing_id)) {}

sdk::Response DuplicateEmail::toResponse() const {
    sdk::Json body = {{"error",
                       {{"code", code()}, {"message", message()}, {"fields", fields()}, {"existing_id", existing_id_}}}};
    return sdk::Response::json(body, status());
}

void publishEvent(sdk::TenantScope& scope, const std::string& name, sdk::Json payload) {
    try {
        scope.events().publish(name, std::move(payload));
    } catch (const std::logic_error&) {
        scope.log().warn("event " + name + " not published: the calling plugin's scope does not declare it");
    }
}

std::string selectColumns(const ResourceSpec& spec) {
    std::string cols = "id";
    for (const auto& f : spec.fields) cols += ", " + f.name;
    return cols + ", custom_fields, version";
}

namespace {

// A value's text, without the copy asText() makes when it is stored as text; numbers
// are formatted into `scratch`.
std::string_view textOf(const sdk::Value& v, std::string& scratch) {
    if (const auto* text = std::get_if<std::string>(&v.raw())) return *text;
    return scratch = v.asText();
}

// Stored JSON text back to JSON. Most rows hold no tags, no address and no custom fields,
// so those skip the parser: three parses fewer per row of a list.
sdk::Json storedJson(const sdk::Value& v) {
    if (v.isNull()) return nullptr;
    const std::string& text = v.asText();
    if (text == "[]") return sdk::Json::array();
    if (text == "{}") return sdk::Json::object();
    auto parsed = sdk::parseJson(text);
    return parsed.is_discarded() ? sdk::Json() : parsed;
}

}  // namespace

sdk::Json rowToJson(const ResourceSpec& spec, const sdk::Row& row) {
    sdk::Json j = sdk::Json::object();
    j["id"] = row["id"].asText();
    for (const auto& f : spec.fields) {
        const auto& v = row[f.name];
        if (isJsonColumn(f.kind)) {
            auto parsed = storedJson(v);
            if (f.kind == FieldKind::Tags && !parsed.is_array()) parsed = sdk::Json::array();
            j[f.name] = std::move(parsed);
        } else {
            j[f.name] = textOrNull(v);
        }
    }
    auto custom = storedJson(row["custom_fields"]);
    j["custom_fields"] = custom.is_object() ? std::move(custom) : sdk::Json::object();
    j["version"] = row["version"].asInt();
    return j;
}

const std::vector<RowJsonWriter::Member>& RowJsonWriter::allMembers(const ResourceSpec& spec) {
    static std::mutex mutex;
    static std::map<const ResourceSpec*, std::vector<Member>> built;
    std::lock_guard lock(mutex);
    auto [it, fresh] = built.try_emplace(&spec);
    if (!fresh) return it->second;
    auto& members = it->second;
    members.push_back({"id", Kind::Text, 0, ""});
    for (const auto& f : spec.fields)
        members.push_back({f.name,
                           f.kind == FieldKind::Tags      ? Kind::Tags
                           : f.kind == FieldKind::Address ? Kind::Address
                                                          : Kind::Text,
                           members.size(), ""});
    members.push_back({"custom_fields", Kind::CustomFields, members.size(), ""});
    members.push_back({"version", Kind::Version, members.size(), ""});
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
    for (auto& m : members) {
        appendJsonString(m.label, m.key);
        m.label += ':';
    }
    return members;
}

RowJsonWriter::RowJsonWriter(const ResourceSpec& spec, const sdk::AccessRules& rules) : members_(&allMembers(spec)) {
    if (rules.hidden_fields.empty()) return;
    for (const auto& m : *members_)
        if (!rules.hidden(m.key)) visible_.push_back(m);
    members_ = &visible_;
}

void RowJsonWriter::append(std::string& out, const sdk::Row& row) {
    if (!checked_) {
        const auto& columns = row.columns();
        for (const auto& m : *members_)
            if (m.column >= columns.size() || columns[m.column] != m.key)
                throw std::logic_error("the row does not start with selectColumns(): no '" + m.key + "' at " +
                                       std::to_string(m.column));
        checked_ = true;
    }
    // Stored JSON goes out as it is when it parses and has the expected shape; otherwise
    // what rowToJson() makes of it.
    std::string formatted;
    const auto stored = [&](const sdk::Value& v, char shape, const char* otherwise) {
        if (v.isNull()) return void(out += otherwise);
        const std::string_view text = textOf(v, formatted);
        if (!text.empty() && (shape == 0 || text.front() == shape) && sdk::Json::accept(text)) out += text;
        else out += otherwise;
    };
    out += '{';
    bool first = true;
    for (const auto& m : *members_) {
        if (!first) out += ',';
        first = false;
        out += m.label;
        const sdk::Value& v = row.at(m.column);
        switch (m.kind) {
            case Kind::Text:
                if (v.isNull()) out += "null";
                else appendJsonString(out, textOf(v, formatted));
                break;
            case Kind::Tags: stored(v, '[', "[]"); break;
            case Kind::Address: stored(v, 0, "null"); break;
            case Kind::CustomFields: stored(v, '{', "{}"); break;
            case Kind::Version: out += std::to_string(v.asInt()); break;
        }
    }
    out += '}';
}

std::optional<sdk::Row> findRow(sdk::Database& db, const ResourceSpec& spec, const std::string& id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    auto rows = db.query("SELECT " + selectColumns(spec) + " FROM " + spec.table + " WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::optional<sdk::Json> findRecord(sdk::Database& db, const ResourceSpec& spec, const std::string& id) {
    auto row = findRow(db, spec, id);
    if (!row) return std::nullopt;
    return rowToJson(spec, *row);
}

sdk::ApiError notFound(const ResourceSpec& spec) {
    return sdk::ApiError(404, spec.singular + "_not_found", "no " + spec.singular + " with this id");
}

sdk::Json requireRecord(sdk::Database& db, const ResourceSpec& spec, const std::string& id) {
    auto r = findRecord(db, spec, id);
    if (!r) throw notFound(spec);
    return *r;
}

sdk::Json createRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& body,
                       const std::vector<CustomFieldDef>& defs) {
    auto& db = scope.db();
    const sdk::Json input = withBeforeHooks(scope, spec.singular + ".create", body, body);
    auto in = validateInput(spec, input, defs, true);
    checkReferences(spec, db, in.values, in.errors);
    in.errors.throwIfAny();

    sdk::Json record = in.values;
    record["id"] = newId(spec.id_prefix);
    sdk::Json custom = sdk::Json::object();
    for (const auto& [k, v] : in.custom.items())
        if (!v.is_null()) custom[k] = v;
    checkDuplicate(spec, db, record);

    const std::string now = nowIso();
    std::string cols = "id", marks = "?";
    sdk::Params params{record["id"].get<std::string>()};
    for (const auto* f : writableFields(spec)) {
        cols += ", " + f->name;
        marks += ", ?";
        params.push_back(columnValue(*f, record));
    }
    if (spec.unique_email) {
        cols += ", email_key";
        marks += ", ?";
        params.push_back(emailKey(record));
    }
    cols += ", custom_fields, search_text, search_key_version, version, created_at, updated_at";
    marks += ", ?, ?, " + std::to_string(kSearchKeyVersion) + ", 1, ?, ?";
    params.insert(params.end(), {custom.dump(), searchText(record), now, now});
    try {
        db.execute("INSERT INTO " + spec.table + " (" + cols + ") VALUES (" + marks + ")", params);
    } catch (const sdk::UniqueViolation&) {
        checkDuplicate(spec, db, record);  // lost a race with a concurrent create
        throw;
    }
    indexPendingSearch(db, spec);
    auto created = requireRecord(db, spec, record["id"].get<std::string>());
    publishEvent(scope, spec.singular + ".created", {{"id", created["id"]}, {spec.singular, created}});
    return created;
}

sdk::Json updateRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& current,
                       const sdk::Json& body, const std::vector<CustomFieldDef>& defs) {
    auto& db = scope.db();
    sdk::Json proposed = current;
    if (body.is_object())
        for (const auto& [k, v] : body.items()) {
            if (k == "custom_fields" && v.is_object() && proposed[k].is_object()) proposed[k].update(v);
            else proposed[k] = v;
        }
    const sdk::Json input = withBeforeHooks(scope, spec.singular + ".update", proposed, body);
    auto in = validateInput(spec, input, defs, false);
    checkReferences(spec, db, in.values, in.errors);
    in.errors.throwIfAny();

    sdk::Json next = current;
    sdk::Json changes = sdk::Json::object();
    for (const auto& [k, v] : in.values.items()) {
        if (current[k] == v) continue;
        changes[k] = {{"from", current[k]}, {"to", v}};
        next[k] = v;
    }
    changes.update(applyCustomFieldPatch(next["custom_fields"], in.custom));
    if (changes.empty()) return current;
    if (changes.contains("email")) checkDuplicate(spec, db, next);

    std::string sets;
    sdk::Params params;
    for (const auto* f : writableFields(spec)) {
        sets += f->name + " = ?, ";
        params.push_back(columnValue(*f, next));
    }
    if (spec.unique_email) {
        sets += "email_key = ?, ";
        params.push_back(emailKey(next));
    }
    sets += "custom_fields = ?, search_text = ?, search_key_version = " + std::to_string(kSearchKeyVersion) +
            ", version = version + 1, updated_at = ?";
    params.insert(params.end(), {next["custom_fields"].dump(), searchText(next), nowIso(),
                                 current["id"].get<std::string>(), current["version"].get<std::int64_t>()});
    std::int64_t n = 0;
    try {
        n = db.execute("UPDATE " + spec.table + " SET " + sets + " WHERE id = ? AND version = ?", params);
    } catch (const sdk::UniqueViolation&) {
        checkDuplicate(spec, db, next);
        throw;
    }
    if (n == 0)
        throw sdk::ApiError(412, "precondition_failed", "the " + spec.singular + " was changed concurrently; retry");
    indexPendingSearch(db, spec);
    auto updated = requireRecord(db, spec, current["id"].get<std::string>());
    publishEvent(scope, spec.singular + ".updated",
                 {{"id", updated["id"]}, {spec.singular, updated}, {"changes", changes}});
    return updated;
}

void deleteRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& current) {
    auto& db = scope.db();
    const std::string id = current["id"].get<std::string>();
    db.transaction([&] {
        if (spec.singular == "company") {
            const auto& contacts = contactSpec();
            const auto linked = db.query("SELECT " + selectColumns(contacts) + " FROM " + contacts.table +
                                         " WHERE company_id = ?", {id});
            db.execute("UPDATE " + contacts.table +
                           " SET company_id = NULL, version = version + 1, updated_at = ? WHERE company_id = ?",
                       {nowIso(), id});
            for (const auto& row : linked) {
                auto before = rowToJson(contacts, row);
                auto after = requireRecord(db, contacts, before["id"].get<std::string>());
                publishEvent(scope, "contact.updated",
                             {{"id", after["id"]},
                              {"contact", after},
                              {"changes", {{"company_id", {{"from", id}, {"to", nullptr}}}}}});
            }
        }
        deleteSubjectActivities(db, kActivities, {spec.singular, id});
        if (db.execute("DELETE FROM " + spec.table + " WHERE id = ? AND version = ?", {id, current["version"].get<std::int64_t>()}) == 0)
            throw sdk::ApiError(412, "precondition_failed", "the " + spec.singular + " was changed concurrently; retry");
        indexPendingSearch(db, spec);
    });
    publishEvent(scope, spec.singular + ".deleted", {{"id", id}, {spec.singular, current}});
}

}  // namespace tessera::plugins::contacts
