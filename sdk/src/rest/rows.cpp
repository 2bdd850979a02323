#include <tessera/sdk/rest/rows.hpp>

namespace tessera::sdk::rest {

Json textOrNull(const Value& v) { return v.isNull() ? Json() : Json(v.asText()); }

Json intOrNull(const Value& v) { return v.isNull() ? Json() : Json(v.asInt()); }

}  // namespace tessera::sdk::rest
