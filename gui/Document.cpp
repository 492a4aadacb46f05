#include "Document.hpp"

#include <exception>

namespace mailsim::gui {

Document loadDocument(const std::string& path) {
    Document doc;
    doc.path = path;
    try {
        auto run = sim::runScenarioFile(path);
        if (run) doc.result = std::move(*run);
        else doc.diagnostics = std::move(run.error());
    } catch (const std::exception& e) {
        doc.diagnostics.push_back({path, 0, 0, sim::DiagnosticId::InternalError, {std::string(e.what())}});
    }
    if (!doc.result && doc.diagnostics.empty())
        doc.diagnostics.push_back({path, 0, 0, sim::DiagnosticId::CouldNotRun, {}});
    return doc;
}

}  // namespace mailsim::gui
