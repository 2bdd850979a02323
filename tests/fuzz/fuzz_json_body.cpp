// A JSON request body through the SDK's parsing and a real validation (custom fields,
// which every plugin's create and update routes run), and the host's nesting check.
#include <cstddef>
#include <cstdint>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>

using namespace tessera::sdk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<rest::CustomFieldDef> defs = [] {
        std::vector<rest::CustomFieldDef> d(6);
        const rest::CustomType types[] = {rest::CustomType::Text, rest::CustomType::Number, rest::CustomType::Date,
                                          rest::CustomType::Boolean, rest::CustomType::Select,
                                          rest::CustomType::MultiSelect};
        for (std::size_t i = 0; i < d.size(); ++i) {
            d[i].key = "f" + std::to_string(i);
            d[i].type = types[i];
            d[i].options = {"a", "b", "ção"};
        }
        return d;
    }();
    Request request;
    request.body.assign(reinterpret_cast<const char*>(data), size);
    const bool shallow = jsonNesting(request.body, 64) <= 64;
    try {
        const Json body = parseJsonObject(request);
        // What the host lets through, the parser never finds deeper than its ceiling.
        if (!shallow && body.is_object() && jsonNesting(body.dump(), kMaxJsonDepth) > kMaxJsonDepth) __builtin_trap();
        Json patch = Json::object(), errors = Json::object();
        rest::validateCustomFields(body.contains("custom_fields") ? body["custom_fields"] : body, defs, patch, errors);
        (void)Response::json(errors).body;
    } catch (const ApiError& e) {
        if (e.status() != 400 && e.status() != 422) __builtin_trap();
    }
    return 0;
}
