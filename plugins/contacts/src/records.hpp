#pragma once
/// Storage of contacts and companies: reading rows into their JSON form and the write
/// paths (create, update, delete) shared by the REST routes, the CSV import and the
/// contacts service, so every entry point enforces the same rules and publishes the
/// same events.

#include <optional>
#include <string>
#include <vector>

#include <tessera/sdk.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

#include "resource.hpp"

namespace tessera::plugins::contacts {

/// 409 for a contact whose email is already used; carries the existing contact's id so
/// the response (and integrations) can point at it.
class DuplicateEmail : public sdk::ApiError {
public:
    explicit DuplicateEmail(std::string existing_id);
    const std::string& existingId() const { return existing_id_; }
    /// The 409 body: the uniform error plus "existing_id".
    sdk::Response toResponse() const;

private:
    std::string existing_id_;
};

/// Column list for SELECTs producing rowToJson() input.
std::string selectColumns(const ResourceSpec& spec);

/// The API representation of one row selected with selectColumns().
sdk::Json rowToJson(const ResourceSpec& spec, const sdk::Row& row);

/// Writes rows selected with selectColumns() (first in the select list) as JSON text,
/// equal to rowToJson() less the fields `rules` hide, without building a JSON document
/// per row: what a list page does fifty times. Stored JSON columns (tags, address, custom
/// fields) are checked and copied as they are.
class RowJsonWriter {
public:
    RowJsonWriter(const ResourceSpec& spec, const sdk::AccessRules& rules);
    void append(std::string& out, const sdk::Row& row);

private:
    enum class Kind { Text, Tags, Address, CustomFields, Version };
    struct Member {
        std::string key;
        Kind kind;
        std::size_t column;  // index in selectColumns()
        std::string label;   // the key as JSON text and its ':'
    };
    // Every member of `spec`'s rows in key order, like nlohmann's objects. Built once per
    // spec: building it per GET was 4 % of a GET's CPU.
    static const std::vector<Member>& allMembers(const ResourceSpec& spec);

    const std::vector<Member>* members_;
    std::vector<Member> visible_;  // when the rules hide fields
    bool checked_ = false;         // the first row's columns are where selectColumns() puts them
};

/// The row of `id` as selectColumns() selects it, or nullopt.
std::optional<sdk::Row> findRow(sdk::Database& db, const ResourceSpec& spec, const std::string& id);

/// 404 "<singular>_not_found".
sdk::ApiError notFound(const ResourceSpec& spec);

/// The record with `id`, or nullopt.
std::optional<sdk::Json> findRecord(sdk::Database& db, const ResourceSpec& spec, const std::string& id);

/// The record with `id`; throws 404 "<singular>_not_found" otherwise.
sdk::Json requireRecord(sdk::Database& db, const ResourceSpec& spec, const std::string& id);

/// Validates `body` and inserts a new record; publishes "<singular>.created".
/// Throws ApiError 422 (every problem at once) or DuplicateEmail.
sdk::Json createRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& body,
                       const std::vector<sdk::rest::CustomFieldDef>& defs);

/// Applies the fields present in `body` to `current` and publishes "<singular>.updated"
/// with the changed fields. Unchanged records are returned as they are (no new version).
/// Throws 412 if the row changed since `current` was read.
sdk::Json updateRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& current,
                       const sdk::Json& body, const std::vector<sdk::rest::CustomFieldDef>& defs);

/// Deletes `current` with its notes and activities; deleting a company first unlinks its
/// contacts (each gets a contact.updated). Publishes "<singular>.deleted".
void deleteRecord(const ResourceSpec& spec, sdk::TenantScope& scope, const sdk::Json& current);

/// SQLite: moves the rows waiting in spec's <table>_search_pending into its trigram index
/// once a batch of them has gathered (migration 0006). Every write of the table calls it.
void indexPendingSearch(sdk::Database& db, const ResourceSpec& spec);

/// Which folding made a row's search key (search_key_version): 2 is sdk::rest::searchKey
/// with ICU. Rows of an older one are rewritten by refreshSearchKeys().
inline constexpr int kSearchKeyVersion = 2;
/// Rewrites the search keys an older folding made, in batches; returns how many rows.
/// Runs every few minutes in each tenant, and as `tessera contacts refresh-search`.
std::size_t refreshSearchKeys(sdk::Database& db, const ResourceSpec& spec);

/// Publishes an event, tolerating scopes of other plugins (the contacts service runs in
/// its caller's scope, where contacts' events are not declared): such events are
/// logged and dropped rather than failing the caller.
void publishEvent(sdk::TenantScope& scope, const std::string& name, sdk::Json payload);

}  // namespace tessera::plugins::contacts
