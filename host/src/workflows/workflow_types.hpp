#pragma once
// Values shared by the workflow store, engine and routes.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <tessera/sdk/http.hpp>

#include "core/clock.hpp"

namespace tessera::host {

struct WorkflowRecord {
    std::string id, name, trigger, condition, source, run_as;
    bool enabled = true;
    std::int64_t version = 0;
    std::string created_at, updated_at;

    sdk::Json toJson(bool with_source = true) const;
};

// Fields of a save (create, update or rollback).
struct WorkflowDraft {
    std::string name, trigger, condition, source, run_as;
    bool enabled = true;
    std::string note;
};

struct RunRecord {
    std::string id, workflow_id;
    std::int64_t version = 0;
    std::string trigger;  // what started it: the event name, "cron", "schedule:<name>", "manual", ...
    std::string status;   // ok, error, timeout, memory, budget
    bool late = false;
    int depth = 0;
    std::string started_at;
    std::int64_t duration_us = 0, instructions = 0, memory_bytes = 0;
    sdk::Json logs = sdk::Json::array();
    std::string error;
    int error_line = 0;
    sdk::Json event = sdk::Json::object();

    sdk::Json toJson() const;
};

}  // namespace tessera::host
