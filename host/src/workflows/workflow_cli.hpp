#pragma once
// `tessera workflow push FILE --tenant T [--name N] [--trigger T] [--run-as R]
// [--condition C] [--disabled]`: creates the workflow, or saves a new version of the one
// with that name. Options not given come from header comments at the top of the file
// (`-- name: ...`, `-- trigger: ...`, `-- run_as: ...`, `-- condition: ...`), then from
// defaults (file name, manual, admin). A running server notices within two seconds.

#include <string>

namespace tessera::host {

class Host;

struct WorkflowPushOptions {
    std::string file, tenant, name, trigger, run_as, condition;
    bool disabled = false;
};

// Prints what happened; returns the exit code (0 ok, 1 refused).
int pushWorkflow(Host& host, const WorkflowPushOptions& options);

}  // namespace tessera::host
