#include "app/host.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
    tessera::host::prepareSignals();
    return tessera::host::runCli(argc, argv);
}
