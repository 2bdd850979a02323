#pragma once
// What starts a workflow, written as one string:
//   "manual"                      only POST /workflows/{id}/run (and crm.schedule steps)
//   "contact.created"             after hook: any record event, after commit
//   "contact.updated:status,email" after hook, only when one of these fields changed
//   "before:contact.create"       before hook: inside the write, may change or reject it
//   "cron:0 9 * * 1-5"            5-field cron in the tenant's time zone

#include <optional>
#include <set>
#include <string>

namespace tessera::host {

struct Trigger {
    enum class Kind { Manual, After, Before, Cron } kind = Kind::Manual;
    std::string event;             // After/Before
    std::set<std::string> fields;  // After: fire only when one of these changed
    std::string cron;              // Cron

    // Parses `text`; on failure returns nullopt and fills `error`.
    static std::optional<Trigger> parse(const std::string& text, std::string& error);
    std::string str() const;

    // "" when the event this trigger names exists (published by, or a before-hook point of,
    // a plugin the tenant has enabled); otherwise what is wrong, listing the known ones.
    // Manual and cron triggers name no event.
    std::string unknownEvent(const std::set<std::string>& published, const std::set<std::string>& before_points) const;
};

}  // namespace tessera::host
