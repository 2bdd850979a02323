// A JSON request body through the SDK's parsing, the validation kit's readers and a real
// validation (custom fields, which every plugin's create and update routes run), and the
// host's nesting check.
#include <cstddef>
#include <cstdint>

#include <tessera/sdk/http.hpp>
#include <tessera/sdk/rest/custom_fields.hpp>
#include <tessera/sdk/rest/validation.hpp>

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
        Json patch = Json::object();
        rest::FieldErrors errors;
        rest::BodyReader in(body, {"name", "id", "email", "n", "amount", "on", "status", "currency", "ok", "custom_fields"},
                            errors);
        in.text("name", 200, true);
        in.id("id");
        in.email("email", 254);
        in.integer("n", -5, 5);
        in.amount("amount", 0);
        in.date("on");
        in.oneOf("status", {"open", "won", "lost"});
        in.currency("currency");
        in.boolean("ok");
        rest::validateCustomFields(body.contains("custom_fields") ? body["custom_fields"] : body, defs, patch, errors);
        (void)Response::json(errors.json()).body;
        errors.throwIfAny();
    } catch (const ApiError& e) {
        if (e.status() != 400 && e.status() != 422) __builtin_trap();
    }
    return 0;
}
