#include "csv.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "csv_reader.hpp"
#include "list_query.hpp"
#include "records.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

namespace {

constexpr std::size_t kMaxReportedErrors = 1000;
const char* const kAddressParts[] = {"line1", "line2", "city", "region", "postal_code", "country"};

void appendCell(std::string& out, std::string_view cell) {
    if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(cell);
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string joinStrings(const sdk::Json& arr) {
    std::string out;
    if (!arr.is_array()) return out;
    for (const auto& v : arr) {
        if (!out.empty()) out += ';';
        out += v.is_string() ? v.get<std::string>() : v.dump();
    }
    return out;
}

std::string cellText(const sdk::Json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) return joinStrings(v);
    return v.dump();
}

struct RollbackImport {};

// Rows read per statement while exporting: bounds memory on both engines.
constexpr std::size_t kExportBatchRows = 500;

void appendCsvRow(std::string& out, const ResourceSpec& spec, const std::vector<CustomFieldDef>& defs,
                  const sdk::AccessRules& rules, const sdk::Json& rec) {
    appendCell(out, rec["id"].get<std::string>());
    for (const auto& f : spec.fields) {
        if (rules.hidden(f.name)) continue;
        if (f.kind == FieldKind::Address) {
            const auto& addr = rec[f.name];
            for (const char* part : kAddressParts) {
                out += ',';
                if (addr.is_object() && addr.contains(part)) appendCell(out, cellText(addr[part]));
            }
        } else {
            out += ',';
            appendCell(out, cellText(rec[f.name]));
        }
    }
    for (const auto& d : defs) {
        out += ',';
        if (rec["custom_fields"].contains(d.key)) appendCell(out, cellText(rec["custom_fields"][d.key]));
    }
    out += "\r\n";
}

}  // namespace

sdk::Response exportCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.customFields());
    // Everything that can be refused is checked here, while a 4xx can still be sent. The
    // caller's role applies to exports as to lists: own records only, hidden fields left out.
    auto [q, rules] = parseVisibleList(spec, req.query, scope, {"format"});
    const std::string format = req.queryParam("format").value_or("csv");
    if (format != "csv" && format != "json")
        throw sdk::ApiError(400, "invalid_query", "format: expected csv or json", {{"format", "expected csv or json"}});
    q.limit = kExportBatchRows;

    sdk::Response r;
    r.headers["Content-Type"] = format == "csv" ? "text/csv; charset=utf-8" : "application/json";
    r.headers["Content-Disposition"] = "attachment; filename=\"" + spec.plural + "." + format + "\"";
    r.stream_body = [&spec, &scope, defs, q, rules, csv = format == "csv"](const sdk::BodyWriter& write) mutable {
        std::string out;
        if (csv) {
            std::vector<std::string> header{"id"};
            for (const auto& f : spec.fields) {
                if (rules.hidden(f.name)) continue;
                if (f.kind == FieldKind::Address)
                    for (const char* part : kAddressParts) header.push_back(f.name + "." + part);
                else
                    header.push_back(f.name);
            }
            for (const auto& d : defs) header.push_back("custom_fields." + d.key);
            for (std::size_t i = 0; i < header.size(); ++i) {
                if (i) out += ',';
                appendCell(out, header[i]);
            }
            out += "\r\n";
        } else {
            out += '[';
        }
        bool first = true;
        // Keyset batches rather than one statement: the PostgreSQL client library holds
        // a statement's whole result in memory, and on SQLite one long read would pin a
        // snapshot for the whole download. Rows created meanwhile may or may not appear;
        // none is sent twice or skipped.
        for (;;) {
            sdk::Params params;
            const auto rows = scope.db().query(buildListSql(spec, q, true, params), params);
            const std::size_t n = std::min(rows.size(), q.limit);
            for (std::size_t i = 0; i < n; ++i) {
                const auto rec = sdk::rest::visible(rules, rowToJson(spec, rows[i]));
                if (csv) appendCsvRow(out, spec, defs, rules, rec);
                else out += (first ? "" : ",") + rec.dump(-1, ' ', false, sdk::Json::error_handler_t::replace);
                first = false;
            }
            if (!write(out)) return;  // the client has gone: stop reading
            out.clear();
            if (rows.size() <= q.limit) break;
            continueAfter(q, rows[n - 1]);
        }
        if (!csv) write("]\n");
    };
    return r;
}

sdk::Response importCsv(const ResourceSpec& spec, const sdk::Request& req, sdk::TenantScope& scope) {
    bool partial = false;
    for (const auto& [k, v] : req.query) {
        if (k == "mode" && (v == "partial" || v == "all"))
            partial = v == "partial";
        else
            throw sdk::ApiError(400, "invalid_query", k + ": not supported here",
                                {{k, k == "mode" ? "expected mode=all or mode=partial" : "unknown query parameter"}});
    }
    const ImportOutcome outcome = importCsvText(spec, scope, req.body, partial, nullptr);
    if (!outcome.committed) {
        sdk::Json body = {{"error",
                           {{"code", "validation_failed"},
                            {"message", std::to_string(outcome.failed) + " of " + std::to_string(outcome.rows) +
                                            " rows are not valid; nothing was imported"},
                            {"rows", outcome.errors}}}};
        return sdk::Response::json(body, 422);
    }
    return sdk::Response::json({{"imported", outcome.imported}, {"failed", outcome.failed}, {"errors", outcome.errors}});
}

ImportOutcome importCsvText(const ResourceSpec& spec, sdk::TenantScope& scope, const std::string& csv, bool partial,
                            sdk::Progress* progress) {
    if (!validUtf8(csv)) throw sdk::ApiError(400, "invalid_csv", "the CSV is not valid UTF-8");
    auto rows = parseCsv(csv);
    if (!rows) throw sdk::ApiError(400, "invalid_csv", "the CSV has an unterminated quoted field");
    if (rows->empty()) throw sdk::ApiError(400, "invalid_csv", "the CSV has no header row");

    auto& db = scope.db();
    const auto defs = loadDefinitions(db, spec.customFields());
    // Map each header column to a field, an address part or a custom field.
    const auto& header = rows->front();
    sdk::Json column_errors = sdk::Json::object();
    for (const auto& name : header) {
        bool known = spec.field(name) && spec.field(name)->writable && spec.field(name)->kind != FieldKind::Address;
        for (const auto& f : spec.fields)
            if (f.kind == FieldKind::Address)
                for (const char* part : kAddressParts) known = known || name == f.name + "." + part;
        for (const auto& d : defs) known = known || name == "custom_fields." + d.key;
        if (!known) column_errors[name.empty() ? "(empty)" : name] = "unknown column";
    }
    if (!column_errors.empty())
        throw sdk::ApiError(422, "validation_failed", "the CSV header names unknown columns", column_errors);

    ImportOutcome outcome;
    outcome.rows = rows->size() - 1;
    if (progress) progress->total(outcome.rows);
    auto& errors = outcome.errors;
    auto& imported = outcome.imported;
    auto& failed = outcome.failed;
    auto work = [&] {
        for (std::size_t r = 1; r < rows->size(); ++r) {
            if (progress) progress->done(r - 1);
            const auto& cells = (*rows)[r];
            const int row_number = static_cast<int>(r) + 1;
            sdk::Json body = sdk::Json::object();
            sdk::Json row_errors = sdk::Json::object();
            if (cells.size() != header.size())
                row_errors["row"] = "has " + std::to_string(cells.size()) + " cells, the header has " +
                                    std::to_string(header.size());
            for (std::size_t c = 0; c < cells.size() && c < header.size(); ++c) {
                const std::string& name = header[c];
                const std::string& cell = cells[c];
                if (cell.empty()) continue;
                const auto dot = name.find('.');
                if (name.rfind("custom_fields.", 0) == 0) {
                    const std::string key = name.substr(dot + 1);
                    for (const auto& d : defs)
                        if (d.key == key) body["custom_fields"][key] = customValueFromText(d, cell);
                } else if (dot != std::string::npos) {
                    body[name.substr(0, dot)][name.substr(dot + 1)] = cell;
                } else if (spec.field(name)->kind == FieldKind::Tags) {
                    body[name] = customValueFromText(CustomFieldDef{"", "", CustomType::MultiSelect, {}, ""}, cell);
                } else {
                    body[name] = cell;
                }
            }
            if (row_errors.empty()) {
                try {
                    createRecord(spec, scope, body, defs);
                    ++imported;
                    continue;
                } catch (const sdk::ApiError& e) {
                    row_errors = e.fields().empty() ? sdk::Json{{"row", e.message()}} : e.fields();
                }
            }
            ++failed;
            if (errors.size() < kMaxReportedErrors) errors.push_back({{"row", row_number}, {"fields", row_errors}});
        }
        if (progress) progress->done(outcome.rows);
        if (failed > 0 && !partial) throw RollbackImport{};
    };
    try {
        db.transaction(work);
    } catch (const RollbackImport&) {
        outcome.committed = false;
        outcome.imported = 0;
    }
    return outcome;
}

}  // namespace tessera::plugins::contacts
