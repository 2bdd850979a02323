#pragma once
/// The Registrar: the one place a plugin declares its whole surface.
///
/// Plugin::declare(Registrar&) is called once at load. The registrar is owned by the
/// host and transactional: it records every declaration, refuses duplicates and
/// conflicts by throwing RegistrationError, and the host commits all of a plugin's
/// declarations together only when declare() returns. If declare() throws, nothing of
/// the plugin stays registered.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include <tessera/sdk/events.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/scope.hpp>

namespace tessera::sdk {

/// Handles one request. Runs on a host worker thread (never the network thread); may
/// block on the database. Return a Response, or throw ApiError for expected failures.
using Handler = std::function<Response(const Request&, TenantScope&)>;

/// The one way to bind a route to a function that needs something of the plugin's besides
/// the request (a table, a spec, a service): a Handler calling fn(context, req, scope).
/// `context` is copied into the handler; pass std::cref(x) to bind a long-lived object.
template <class Fn, class Context>
Handler bindHandler(Fn fn, Context context) {
    return [fn, context](const Request& req, TenantScope& scope) { return fn(context, req, scope); };
}

/// Handles one delivered event in the event's tenant scope.
using EventHandler = std::function<void(const Event&, TenantScope&)>;

/// A function a plugin offers to tenant Lua scripts as crm.<name>(args). Arguments and
/// result cross as JSON; throw ApiError for expected failures (the script sees
/// `nil, message`). Runs with the permissions of the identity the workflow runs as.
using ScriptFunction = std::function<Json(const Json& args, TenantScope&)>;

/// Progress of a long-running command; the CLI draws it on a terminal. Thread-safe.
class Progress {
public:
    virtual ~Progress() = default;
    /// How many units the work has (0: unknown).
    virtual void total(std::uint64_t units) = 0;
    /// How many units are done so far.
    virtual void done(std::uint64_t units) = 0;
};

/// What a command line gave a plugin command: `tessera <plugin> <command> ARGS...
/// --tenant T [--key value | --flag]...`.
struct CommandArgs {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  ///< "--key value" → key; a bare "--flag" → "true"
};

/// A plugin's command-line command. Runs in the scope of the tenant named by --tenant
/// (with a system identity). Write the result for the operator to `out`; throw ApiError
/// for expected failures (the CLI prints the message and exits 1).
using CommandHandler = std::function<void(const CommandArgs&, TenantScope&, Progress&, std::ostream& out)>;

struct Command {
    std::string name;     ///< e.g. "import": run as `tessera contacts import ...`
    std::string summary;  ///< one line for `tessera <plugin> --help`
    std::string usage;    ///< arguments, e.g. "FILE.csv [--mode partial]"
    CommandHandler handler;
};

struct Route {
    Method method = Method::Get;
    /// Path pattern, e.g. "/api/v1/contacts/{id}". Segments in braces bind path params.
    std::string path;
    /// Permission the caller needs; must be declared with Registrar::permission().
    /// Ignored when `is_public` is true.
    std::string permission;
    Handler handler;
    /// A public route needs no identity (web form submissions, public assets).
    bool is_public = false;
    /// POST only: a request carrying an Idempotency-Key gets the first answer to that key
    /// replayed for 24 hours instead of running again (docs/api.md), so a client may
    /// retry a create. The host stores the answers, one table for every plugin.
    bool idempotent = false;
    /// On SQLite a write route (POST, PUT, PATCH, DELETE) runs inside the tenant's group
    /// commit: one transaction for the writes that arrive together (docs/plugins.md).
    /// Set this for a handler that waits for work done on another thread that writes the
    /// same tenant's data: inside the group, that work would wait for the handler's lock.
    bool outside_group_commit = false;
};

/// One schema step for this plugin's tables, applied per tenant in order of `number`.
/// Produced at build time from plugins/<id>/migrations/ by tessera_add_plugin(); a
/// plugin normally passes embeddedMigrations() unchanged.
struct Migration {
    int number = 0;
    std::string name;          ///< e.g. "create_contacts" (from 0001_create_contacts.sql).
    std::string sqlite_sql;    ///< Script for SQLite.
    std::string postgres_sql;  ///< Script for PostgreSQL (same text unless the folder has a .postgres.sql).
};

/// Thrown by the registrar on a refused declaration; the message names the conflict.
class TESSERA_API RegistrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Registrar {
public:
    virtual ~Registrar() = default;

    /// Adds schema steps. Numbers must be unique and positive.
    virtual void migrations(const std::vector<Migration>& steps) = 0;
    /// Declares a permission string ("contacts.read") with a one-line description.
    virtual void permission(const std::string& name, const std::string& description) = 0;
    /// Adds a route. Refused if another route (of any plugin) has the same method and
    /// an overlapping pattern, or if the permission was never declared.
    virtual void route(Route route) = 0;
    /// Declares an event this plugin may publish.
    virtual void publishes(const std::string& event) = 0;
    /// Declares a before-hook point ("contact.create") that this plugin's writes pass
    /// through TenantScope::beforeWrite. Workflows may be triggered by "before:<event>"
    /// only for declared points (the API refuses others, naming the known ones).
    virtual void runsBeforeHooks(const std::string& event) = 0;
    /// Subscribes to an event of any plugin (delivered only for tenants where this
    /// plugin is enabled).
    virtual void subscribe(const std::string& event, EventHandler handler) = 0;

    /// Offers `fn` to Lua workflows as crm.<name>, e.g. "contacts.get". `permission`
    /// (declared like a route's) is checked against the workflow's role.
    virtual void scriptFunction(const std::string& name, const std::string& permission, ScriptFunction fn) = 0;

    /// Adds a command-line command, run as `tessera <plugin id> <name> ... --tenant T`.
    virtual void command(Command command) = 0;

    /// Declares a table (one of this plugin's migrations creates it) whose rows are the
    /// records a tenant's plan counts ("records per plugin", summed over every table the
    /// plugin declares). Once a tenant holds its plan's limit, the host answers POST on
    /// this plugin's collection routes (paths without parameters) with 402 naming
    /// `records_per_plugin`; reads, updates and deletes stay open.
    virtual void countsRecords(const std::string& table) = 0;
    /// For a plugin that stores values sealed with the Secrets service (secrets.hpp): how
    /// to seal them all again, called per tenant by `tessera secrets rotate-key` while the
    /// master key changes. `reseal` opens every value the plugin sealed and seals it again
    /// through scope.service<Secrets>() (during a rotation open() accepts either key and
    /// seal() uses the new one), in one transaction of scope.db(), and returns how many
    /// values it sealed. It should seal plaintext left from before sealing too. An
    /// exception fails the tenant's rotation, which can be run again.
    virtual void resealsSecrets(std::function<int(TenantScope&)> reseal) = 0;

    /// Offers a service to other plugins. `I` declares `static constexpr const char*
    /// kServiceName`; the object must stay valid until the plugin's stop().
    template <class I>
    void provide(std::shared_ptr<I> service) {
        provideService(I::kServiceName, typeid(I).name(), std::static_pointer_cast<void>(service));
    }

protected:
    virtual void provideService(const std::string& name, const char* type_name,
                                std::shared_ptr<void> service) = 0;
};

}  // namespace tessera::sdk
