#pragma once
/// The Lua functions contacts offers to tenant workflows: crm.contacts.get/find/create/
/// update. Each one goes through the same route function as the REST API (validation,
/// access rules, events, before hooks), so a workflow can do exactly what its role could
/// do over HTTP.

#include <tessera/sdk.hpp>

namespace tessera::plugins::contacts {

/// crm.contacts.get(id) -> the contact, or nil when there is none.
sdk::Json scriptGetContact(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.contacts.find(text) or find{q=..., limit=..., sort=..., <field>=<value> | <field>={<op>=<value>}}
/// -> array of contacts (the REST list's filters: eq, ne, lt, gt, contains, ...).
sdk::Json scriptFindContacts(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.contacts.create{name=..., email=...} -> the created contact.
sdk::Json scriptCreateContact(const sdk::Json& args, sdk::TenantScope& scope);
/// crm.contacts.update(id, {field=value}) -> the updated contact.
sdk::Json scriptUpdateContact(const sdk::Json& args, sdk::TenantScope& scope);

}  // namespace tessera::plugins::contacts
