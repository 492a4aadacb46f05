// What a panel (or a key) asks of the App: typed events, queued in the PanelContext while the frame is drawn and carried
// out by App::handleRequests between frames, in the order asked (issue #13: requests are events, not flags).
#pragma once

#include <string>
#include <variant>

namespace mailsim::gui {

struct ReloadRequest {};                 // read the scenario (or the live trace) again
struct OpenRequest {                     // open another scenario file instead of the current one
    std::string path;
    std::string checkpoint;              // then move the cursor to this checkpoint ("" = keep the position)
};
struct TogglePresenterRequest {};
struct ToggleFullScreenRequest {};
struct LessonLanguageChanged {};         // the settings' lesson language changed: load that lesson
struct TogglePredictRequest {};          // predict mode on/off (the App also brings the Predict panel to the front)
struct ToggleSandboxRequest {};          // sandbox mode on/off

using PanelRequest = std::variant<ReloadRequest, OpenRequest, TogglePresenterRequest, ToggleFullScreenRequest,
                                  LessonLanguageChanged, TogglePredictRequest, ToggleSandboxRequest>;

}  // namespace mailsim::gui
