// The page's JavaScript interface (issue #15): C functions index.html calls through Module.ccall, for its toolbar
// (open a file, downloads, settings) and for the browser tests (window.mailsim.state()).
#pragma once

#include <string>

namespace mailsim::gui {
class App;
}

namespace mailsim::web {

// The App the hooks act on (set once, before the first frame).
void attach(gui::App& app);
// Called after every frame: counts frames and tells the page when the first one is drawn.
void frameDone();
// Shows a fatal start-up error in the page.
void reportFatal(const std::string& message);

}  // namespace mailsim::web
