#include "workflows/trigger.hpp"

#include <cctype>

#include "workflows/cron.hpp"

namespace tessera::host {
namespace {

bool validEventName(const std::string& s) {
    if (s.empty() || s.size() > 100) return false;
    for (char c : s)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
              c == '_' || c == '-'))
            return false;
    return s.find('.') != std::string::npos;
}

}  // namespace

std::optional<Trigger> Trigger::parse(const std::string& text, std::string& error) {
    Trigger t;
    if (text == "manual") return t;
    if (text.rfind("cron:", 0) == 0) {
        t.kind = Kind::Cron;
        t.cron = text.substr(5);
        std::string cron_error;
        if (!CronSchedule::parse(t.cron, cron_error)) {
            error = "invalid cron expression: " + cron_error;
            return std::nullopt;
        }
        return t;
    }
    if (text.rfind("before:", 0) == 0) {
        t.kind = Kind::Before;
        t.event = text.substr(7);
        if (!validEventName(t.event)) {
            error = "before hooks name a write, e.g. before:contact.create";
            return std::nullopt;
        }
        return t;
    }
    t.kind = Kind::After;
    const auto colon = text.find(':');
    t.event = text.substr(0, colon);
    if (!validEventName(t.event)) {
        error = "expected manual, cron:<5 fields>, before:<entity.action> or an event name such as contact.created";
        return std::nullopt;
    }
    if (colon != std::string::npos) {
        std::string rest = text.substr(colon + 1);
        std::size_t start = 0;
        while (start <= rest.size()) {
            const auto comma = rest.find(',', start);
            std::string field = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (field.empty()) {
                error = "empty field name in the field filter";
                return std::nullopt;
            }
            t.fields.insert(field);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return t;
}

std::string Trigger::str() const {
    switch (kind) {
        case Kind::Manual: return "manual";
        case Kind::Cron: return "cron:" + cron;
        case Kind::Before: return "before:" + event;
        case Kind::After: {
            std::string s = event;
            char sep = ':';
            for (const auto& f : fields) {
                s += sep + f;
                sep = ',';
            }
            return s;
        }
    }
    return "manual";
}

std::string Trigger::unknownEvent(const std::set<std::string>& published,
                                  const std::set<std::string>& before_points) const {
    if (kind != Kind::After && kind != Kind::Before) return "";
    const auto& known = kind == Kind::After ? published : before_points;
    if (known.count(event)) return "";
    std::string list;
    for (const auto& name : known)
        list += std::string(list.empty() ? "" : ", ") + (kind == Kind::Before ? "before:" : "") + name;
    return (kind == Kind::Before ? "no plugin enabled for this tenant has a before hook '" + event + "'"
                                 : "no plugin enabled for this tenant publishes '" + event + "'") +
           (list.empty() ? std::string(" (there are none)") : "; known: " + list);
}

}  // namespace tessera::host
