// The one place where panels are registered. Add a panel: write panels/NamePanel.cpp with a makeNamePanel()
// factory, declare it in Panel.hpp, list it here.
#include "Panel.hpp"

namespace mailsim::gui {

std::vector<std::unique_ptr<Panel>> createPanels() {
    std::vector<std::unique_ptr<Panel>> panels;
    panels.push_back(makeHeaderPanel());      // title, description, playback controls
    panels.push_back(makeTranscriptPanel());  // the C:/S: transcript with the cursor
    panels.push_back(makeNarrationPanel());   // the scenario's narration at the cursor
    panels.push_back(makeStatePanel());       // the protocol state at the cursor
    panels.push_back(makeChecksPanel());      // expectations and load diagnostics
    return panels;
}

}  // namespace mailsim::gui
