#pragma once
// The built-in "workflows" module: routes /api/v1/workflows (CRUD, versions, rollback,
// enable/disable, dry run, manual run), /api/v1/workflow-runs, -jobs, -outbox and
// -settings, and the permissions workflows.read / workflows.write. Its routes use the
// WorkflowEngine that Host::serve attaches; without one (CLI) they answer 503.

#include <atomic>

#include "app/builtin_module.hpp"

namespace tessera::host {

class WorkflowEngine;

class WorkflowsModule final : public BuiltinModule {
public:
    const char* id() const override { return "workflows"; }
    void declare(sdk::Registrar& registrar) override;
    void attach(WorkflowEngine* engine) { engine_ = engine; }

private:
    WorkflowEngine& engine() const;
    std::atomic<WorkflowEngine*> engine_{nullptr};
};

}  // namespace tessera::host
