// The characters the font atlas holds (issue #14: every word on screen in the class's language, none drawn as "?").
// Without ImGui: the App hands atlasText() to FontSet::build, and the gui_viewmodel tests check that everything a
// panel can show in Chinese is inside it.
//
// Contract
// - catalogueGlyphText(): every string of every catalogue the UI shows, in both languages: the UI strings
//   (Strings.hpp), the reply, code and command catalogues of SMTP, POP3 and IMAP, the state diagrams' models
//   (ProtocolModel.hpp), the trace's names for its enum values (trace/Render.hpp's label()), the units of times for
//   people (i18n/Duration.hpp) and the phases. Built once.
// - atlasText(doc, view, scenarios): what App::rebuildFonts bakes for a document: the catalogues; the view's rows,
//   labels and narration (rendered in the view's language; the App rebuilds the view and the atlas when the language
//   changes); the scenario's own texts in both languages; the explanations of its first events in Chinese; its lesson
//   in both languages; the titles of the scenarios beside it; the decoded text of its first stored messages; the
//   diagnostics when it could not run. FontSet::build adds the common Chinese characters on top (for what students
//   type in the sandbox or a live client sends).
// - GlyphSet: a set of code points (the BMP: the atlas is built for it); missing(text) lists the characters of
//   `text` outside it, each once, in order of appearance.
#pragma once

#include "Document.hpp"
#include "Scenarios.hpp"
#include "ViewModel.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

const std::string& catalogueGlyphText();
std::string atlasText(const Document& doc, const ViewModel& view, std::span<const ScenarioEntry> scenarios);

class GlyphSet {
public:
    GlyphSet() : m_has(0x10000, false) {}
    explicit GlyphSet(std::string_view utf8) : GlyphSet() { add(utf8); }
    // Adds every character of `utf8`; true when one was new. Characters beyond the BMP are ignored.
    bool add(std::string_view utf8);
    void addRange(char32_t first, char32_t last);
    bool contains(char32_t c) const { return c < m_has.size() && m_has[c]; }
    std::vector<char32_t> missing(std::string_view utf8) const;

private:
    std::vector<bool> m_has;
};

// Decodes UTF-8 one code point at a time (invalid bytes are skipped); `at` moves past it. False at the end.
bool nextCodePoint(std::string_view utf8, std::size_t& at, char32_t& c);
std::string encodeUtf8(char32_t c);

}  // namespace mailsim::gui
