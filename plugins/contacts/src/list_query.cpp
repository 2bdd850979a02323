#include "list_query.hpp"

#include <tessera/sdk/rest/access.hpp>
#include <tessera/sdk/rest/text.hpp>

#include "records.hpp"
#include "tag_filter.hpp"

namespace tessera::plugins::contacts {

using namespace sdk::rest;

namespace {

// `search_text LIKE '%needle%'` decides on both engines; it is exact (the needle and the
// column are folded the same way in C++, and both engines' LIKE compares the folded
// bytes alike), so the engines agree. What differs is how candidates are found.
// PostgreSQL's planner uses the pg_trgm GIN index for the LIKE itself when its
// statistics say the term is selective. SQLite has no such statistics, so the choice is
// made here: the FTS5 trigram table is asked (MATCH on a phrase) when the term is rare,
// and for a common term the list walks its sort order and stops once the page is full,
// which is cheaper than fetching and sorting thousands of candidates. A trigram index
// cannot help with needles under three characters: those walk the sort order on both.
constexpr int kCommonTermRows = 1000;

std::string likeCondition(const std::string& needle, sdk::Params& params) {
    params.push_back(containsPattern(needle));
    return "search_text LIKE ? ESCAPE '\\'";
}

std::string ftsCondition(const std::string& table, const std::string& needle, sdk::Params& params) {
    // An FTS5 string: inside double quotes everything is literal but '"', written twice.
    std::string phrase = "\"";
    for (char c : needle) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    phrase += '"';
    params.push_back(phrase);
    // Rows still waiting for the index (records.cpp, indexPendingSearch) are candidates
    // too. Each candidate set is ANDed with the LIKE on its own: SQLite answers an OR of
    // such terms from the indexes, but `(a OR b) AND like` nested in the company OR made
    // it walk the whole table (25 ms instead of 1.5 for q=silva over 58,000 contacts).
    std::string cond = "(rowid IN (SELECT rowid FROM " + table + "_search WHERE " + table + "_search MATCH ?) AND " +
                       likeCondition(needle, params) + ") OR (rowid IN (SELECT row FROM " + table + "_search_pending) AND ";
    return cond + likeCondition(needle, params) + ")";
}

std::string searchWhere(const ResourceSpec& spec, const std::string& needle, bool indexed, sdk::Engine engine,
                        sdk::Params& params) {
    auto one = [&](const std::string& table) {
        return indexed ? ftsCondition(table, needle, params) : likeCondition(needle, params);
    };
    std::string cond = "((" + one(spec.table) + ")";
    if (spec.search_company) cond += " OR company_id IN (SELECT id FROM contacts_companies WHERE " + one("contacts_companies") + ")";
    return cond + ")";
}

// PostgreSQL estimates `company_id IN (subquery)` blindly (about a tenth of the rows), so
// with it in the OR the planner walks the sort order even for a term found nowhere. With
// the matching companies' ids bound as values its statistics apply, and a rare term is
// answered from the trigram indexes. Past kMaxBoundCompanies the subquery is kept.
constexpr std::size_t kMaxBoundCompanies = 100;

std::string postgresSearchWhere(const ResourceSpec& spec, const std::string& needle, sdk::Database& db, bool indexed,
                                sdk::Params& params) {
    sdk::Rows companies;
    if (spec.search_company) {
        sdk::Params lookup;
        const std::string like = likeCondition(needle, lookup);
        companies = db.query("SELECT id FROM contacts_companies WHERE " + like + " LIMIT " +
                                 std::to_string(kMaxBoundCompanies + 1),
                             lookup);
        if (companies.size() > kMaxBoundCompanies) return searchWhere(spec, needle, false, db.engine(), params);
    }
    // `search_text || ''` is the same text, but no index covers it: a common term then
    // walks the sort order instead of fetching and sorting every match.
    std::string cond = "(" + std::string(indexed ? "" : "(search_text || '') LIKE ? ESCAPE '\\'");
    if (indexed) cond += likeCondition(needle, params);
    else params.push_back(containsPattern(needle));
    if (!companies.empty()) {
        cond += " OR company_id IN (";
        for (std::size_t i = 0; i < companies.size(); ++i) {
            cond += i ? ", ?" : "?";
            params.push_back(companies[i].at(0).asText());
        }
        cond += ")";
    }
    return cond + ")";
}

void addSearch(ListQuery& q, const ResourceSpec& spec, const std::string& text, sdk::Database& db) {
    // PostgreSQL text cannot hold NUL and SQLite's LIKE and FTS5 stop reading at one, so
    // no engine could give it a meaning, let alone the same one.
    if (text.find('\0') != std::string::npos)
        throw sdk::ApiError(400, "invalid_query", "q: must not contain NUL characters",
                            {{"q", "must not contain NUL characters"}});
    const std::string needle = searchKey(text);
    if (needle.empty()) return;
    const bool pg = db.engine() == sdk::Engine::Postgres;
    bool indexed = utf8Length(needle) >= 3;
    if (indexed) {
        // Counting at most kCommonTermRows candidates costs about as much as a rare
        // term's whole search.
        sdk::Params params;
        const std::string cond = pg ? postgresSearchWhere(spec, needle, db, true, params)
                                    : searchWhere(spec, needle, true, db.engine(), params);
        const auto probe = db.queryOne("SELECT count(*) AS n FROM (SELECT 1 FROM " + spec.table + " WHERE " + cond +
                                           " LIMIT " + std::to_string(kCommonTermRows) + ") AS candidates",
                                       params);
        indexed = probe && probe->at(0).asInt() < kCommonTermRows;
    }
    q.where += " AND " + (pg ? postgresSearchWhere(spec, needle, db, indexed, q.where_params)
                             : searchWhere(spec, needle, indexed, db.engine(), q.where_params));
}

// Built-in fields as list columns: emails filter on their lower-cased key, tags are JSON
// arrays, addresses are not filterable.
std::vector<ListColumn> columnsOf(const ResourceSpec& spec, std::int64_t tenant_id, sdk::Database& db) {
    std::vector<ListColumn> columns{{"id", "id", ColumnKind::Text, true, false}};
    for (const auto& f : spec.fields) {
        switch (f.kind) {
            case FieldKind::Text:
            case FieldKind::Reference: columns.push_back({f.name, f.name, ColumnKind::Text, f.sortable, !f.required}); break;
            case FieldKind::Email: columns.push_back({f.name, "email_key", ColumnKind::FoldedText, f.sortable, true}); break;
            case FieldKind::Timestamp: columns.push_back({f.name, f.name, ColumnKind::Timestamp, true, false}); break;
            case FieldKind::Tags: {  // only contacts have tags
                auto lookup = [tenant_id, &db](const std::string& tag, sdk::Params& params) {
                    return tagLookupCondition(tenant_id, tag, db, params);
                };
                columns.push_back({f.name, f.name, ColumnKind::JsonArray, false, true, lookup});
                break;
            }
            case FieldKind::Address: break;
        }
    }
    return columns;
}

}  // namespace

VisibleList parseVisibleList(const ResourceSpec& spec, const std::map<std::string, std::string>& query,
                             sdk::TenantScope& scope, const std::set<std::string>& extra_params) {
    auto& db = scope.db();
    ListSpec list;
    list.columns = columnsOf(spec, scope.tenant().id, db);
    list.custom_fields_sql = "custom_fields";
    list.custom_fields = loadDefinitions(db, spec.customFields());
    list.extra_params = extra_params;
    list.search = [&spec, &db](const std::string& q, ListQuery& query) { addSearch(query, spec, q, db); };
    VisibleList out{sdk::rest::parseListQuery(list, query, db.engine()), scope.access(spec.plural)};
    sdk::rest::refuseHiddenInQuery(out.rules, query);
    if (auto own = sdk::rest::ownerCondition(out.rules, scope, "owner_id", out.query.where_params); !own.empty())
        out.query.where = "(" + out.query.where + ") AND " + own;
    return out;
}

std::string buildListSql(const ResourceSpec& spec, const ListQuery& q, bool paginate, sdk::Params& params) {
    return q.sql(selectColumns(spec), " FROM " + spec.table, paginate, params);
}

std::string cursorAfter(const ListQuery& q, const sdk::Row& last) { return q.cursorAfter(last); }

void continueAfter(ListQuery& q, const sdk::Row& last) { q.continueAfter(last); }

}  // namespace tessera::plugins::contacts
