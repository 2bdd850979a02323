#include <tessera/sdk/rest/writes.hpp>

namespace tessera::sdk::rest {

Value actorOf(TenantScope& scope) {
    const auto& p = scope.principal();
    return p.anonymous() ? Value() : Value(p.id);
}

Json withBeforeHooks(TenantScope& scope, const std::string& event, Json view, Json input) {
    if (!view.is_object()) return input;
    const Json original = view;
    scope.beforeWrite(event, view);
    if (view == original || !view.is_object()) return input;
    for (const auto& [k, v] : view.items())
        if (!original.contains(k) || original[k] != v) input[k] = v;
    for (const auto& [k, v] : original.items())
        if (!v.is_null() && !view.contains(k)) input[k] = nullptr;
    return input;
}

}  // namespace tessera::sdk::rest
