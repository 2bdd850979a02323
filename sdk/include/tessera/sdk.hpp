#pragma once
/// Umbrella header: everything a plugin needs.
#include <tessera/sdk/database.hpp>
#include <tessera/sdk/events.hpp>
#include <tessera/sdk/http.hpp>
#include <tessera/sdk/logger.hpp>
#include <tessera/sdk/migrations.hpp>
#include <tessera/sdk/plugin.hpp>
#include <tessera/sdk/registrar.hpp>
#include <tessera/sdk/scope.hpp>
#include <tessera/sdk/version.hpp>
