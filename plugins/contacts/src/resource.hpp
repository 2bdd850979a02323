#pragma once
/// The shape of the two collections, contacts and companies, described as data so that
/// one set of CRUD, list, validation and CSV code serves both.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tessera/sdk/rest/activities.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

namespace tessera::plugins::contacts {

/// How a built-in field is validated, stored and filtered.
enum class FieldKind {
    Text,       ///< String column.
    Email,      ///< String column, validated; eq/in/ne filters are case-insensitive.
    Reference,  ///< Id of a row in `references` (company_id).
    Tags,       ///< JSON array of strings in a text column; filter op: contains.
    Address,    ///< JSON object of string parts in a text column; not filterable.
    Timestamp,  ///< Read-only ISO 8601 text.
};

struct FieldSpec {
    std::string name;
    FieldKind kind = FieldKind::Text;
    std::size_t max_length = 200;  ///< In characters; for Tags, per tag.
    bool required = false;         ///< Must be present and non-null on create.
    bool writable = true;
    bool sortable = false;
    std::string references;        ///< Table a Reference points to.
};

struct ResourceSpec {
    std::string singular;   ///< "contact": event prefix and error codes (contact_not_found).
    std::string plural;     ///< "contacts": collection path segment and custom field entity.
    std::string table;
    std::string id_prefix;  ///< "ct_"
    std::vector<FieldSpec> fields;
    bool unique_email = false;      ///< Duplicate guard on `email` (email_key column).
    bool search_company = false;    ///< `q` also matches the linked company's name.

    /// Where this collection's custom fields live (one definitions table for both
    /// collections, told apart by entity = plural).
    sdk::rest::CustomFieldStore customFields() const { return {"contacts_custom_fields", plural, table}; }

    const FieldSpec* field(std::string_view name) const {
        for (const auto& f : fields)
            if (f.name == name) return &f;
        return nullptr;
    }
};

const ResourceSpec& contactSpec();
const ResourceSpec& companySpec();

/// Largest accepted values, shared by validation and the docs.
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxNotesLength = 10000;

/// 404 (contact_not_found / company_not_found) unless the contact or company named by
/// (subject_type, subject_id) exists and the caller's role lets it see that record.
void requireVisibleSubject(const sdk::Params& subject, sdk::TenantScope& scope);

/// Notes and activities of contacts and companies, in one table told apart by
/// subject_type (the singular); single items live at /api/v1/activities/{id}. An activity
/// is as visible as its record (own_records_only of "contacts" / "companies"); a role's
/// hidden fields of "activities" apply to them all.
inline const sdk::rest::ActivityStore kActivities{"contacts_activities",
                                                  {"subject_type", "subject_id"},
                                                  "act_",
                                                  "/api/v1/activities",
                                                  kMaxNotesLength,
                                                  "activities",
                                                  requireVisibleSubject};

}  // namespace tessera::plugins::contacts
