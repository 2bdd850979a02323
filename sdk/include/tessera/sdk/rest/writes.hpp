#pragma once
/// Small pieces every write path of a plugin needs: who the actor is, and the tenant's
/// "before" workflow hooks applied so that their changes pass the same validation as
/// the client's. Part of tessera_sdk_rest.

#include <string>

#include <tessera/sdk/scope.hpp>

namespace tessera::sdk::rest {

/// The caller's id for "who" columns (created_by, changed_by), or NULL for anonymous calls.
Value actorOf(TenantScope& scope);

/// Runs the tenant's synchronous "before" hooks for `event` (e.g. "deal.create") on
/// `view`, the record as it would be written, and returns `input` (the client's body)
/// with whatever the hooks changed, so those changes are validated like the client's.
/// JSON null does not reach Lua, so a key that disappears was cleared by a hook only if
/// it held a value before; it comes back as null. A hook that rejects the write throws
/// ApiError 422 (see TenantScope::beforeWrite).
Json withBeforeHooks(TenantScope& scope, const std::string& event, Json view, Json input);

}  // namespace tessera::sdk::rest
