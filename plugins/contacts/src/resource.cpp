#include "resource.hpp"

namespace tessera::plugins::contacts {

const ResourceSpec& contactSpec() {
    static const ResourceSpec spec = [] {
        ResourceSpec s;
        s.singular = "contact";
        s.plural = "contacts";
        s.table = "contacts_contacts";
        s.id_prefix = "ct_";
        s.unique_email = true;
        s.search_company = true;
        s.fields = {
            {"name", FieldKind::Text, 200, true, true, true, ""},
            {"email", FieldKind::Email, 254, false, true, true, ""},
            {"phone", FieldKind::Text, 50, false, true, true, ""},
            {"company_id", FieldKind::Reference, 64, false, true, false, "contacts_companies"},
            {"owner_id", FieldKind::Text, 64, false, true, false, ""},
            {"tags", FieldKind::Tags, 50, false, true, false, ""},
            {"address", FieldKind::Address, 200, false, true, false, ""},
            {"tax_id", FieldKind::Text, 64, false, true, true, ""},
            {"notes", FieldKind::Text, kMaxNotesLength, false, true, false, ""},
            {"created_at", FieldKind::Timestamp, 0, false, false, true, ""},
            {"updated_at", FieldKind::Timestamp, 0, false, false, true, ""},
        };
        return s;
    }();
    return spec;
}

const ResourceSpec& companySpec() {
    static const ResourceSpec spec = [] {
        ResourceSpec s;
        s.singular = "company";
        s.plural = "companies";
        s.table = "contacts_companies";
        s.id_prefix = "co_";
        s.fields = {
            {"name", FieldKind::Text, 200, true, true, true, ""},
            {"domain", FieldKind::Text, 253, false, true, true, ""},
            {"phone", FieldKind::Text, 50, false, true, true, ""},
            {"address", FieldKind::Address, 200, false, true, false, ""},
            {"owner_id", FieldKind::Text, 64, false, true, false, ""},
            {"created_at", FieldKind::Timestamp, 0, false, false, true, ""},
            {"updated_at", FieldKind::Timestamp, 0, false, false, true, ""},
        };
        return s;
    }();
    return spec;
}

}  // namespace tessera::plugins::contacts
