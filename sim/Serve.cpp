// LOCAL PLACEHOLDER - NOT COMMITTED (the serve worktree brings the real one)
#include "Cli.hpp"
namespace mailsim::sim { int serveMain(std::span<const std::string>) { return 2; } }
