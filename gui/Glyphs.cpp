#include "Glyphs.hpp"

#include "Explain.hpp"
#include "Lesson.hpp"
#include "MimeView.hpp"
#include "ProtocolModel.hpp"
#include "Strings.hpp"
#include "i18n/Duration.hpp"
#include "imap/ImapReplies.hpp"
#include "imap/ImapStates.hpp"
#include "pop3/Pop3Replies.hpp"
#include "pop3/Pop3States.hpp"
#include "smtp/SmtpReplies.hpp"
#include "smtp/SmtpStates.hpp"
#include "trace/Render.hpp"

#include <filesystem>

namespace mailsim::gui {
namespace {

constexpr std::size_t kGlyphMessages = 64;            // stored messages decoded for the atlas
constexpr std::size_t kGlyphExplainedEvents = 20000;  // events explained in Chinese for the atlas

void addBoth(std::string& out, const i18n::LocalView& text) {
    out += text.en;
    out += text.zh;
}

void addProtocolModel(std::string& out, const ProtocolModel& m) {
    out += m.title;
    for (const auto& s : m.states) out += s.name + s.phase;
    for (const auto& c : m.commands) out += c.explain + c.rfc;
}

template <typename Enum, std::size_t N>
void addLabels(std::string& out, const std::array<std::string_view, N>&) {
    for (std::size_t i = 0; i < N; ++i)
        for (auto lang : {i18n::Lang::En, i18n::Lang::Zh}) out += trace::label(static_cast<Enum>(i), lang);
}

std::string buildCatalogueText() {
    std::string out = allUiText();
    for (const auto& r : smtp::smtpReplies()) addBoth(out, r.explain);
    for (const auto& c : smtp::smtpCodes()) addBoth(out, c.meaning);
    for (const auto& c : smtp::smtpCommands()) addBoth(out, c.explain);
    for (const auto& r : pop3::pop3Replies()) addBoth(out, r.explain);
    for (const auto& c : pop3::pop3Commands()) addBoth(out, c.explain);
    for (const auto& r : imap::imapReplies()) addBoth(out, r.explain);
    for (const auto& c : imap::imapCommands()) addBoth(out, c.explain);
    for (auto lang : {i18n::Lang::En, i18n::Lang::Zh}) {
        for (auto phase : {smtp::SmtpPhase::SetUp, smtp::SmtpPhase::Transfer, smtp::SmtpPhase::Release})
            out += smtp::phaseName(phase, lang);
        for (const ProtocolSupport& p : supportedProtocols()) addProtocolModel(out, protocolModel(p.name, lang));
        // Every unit of a time for people: days to milliseconds, relative and absolute.
        for (std::int64_t micros : {std::int64_t{90'061'000'000}, std::int64_t{250'000}, std::int64_t{0}})
            out += i18n::formatDuration(micros, lang) + i18n::formatAfter(micros, lang) + i18n::formatAt(micros, lang);
    }
    addLabels<trace::QueueOp>(out, trace::names(trace::QueueOp{}));
    addLabels<trace::FaultKind>(out, trace::names(trace::FaultKind{}));
    addLabels<trace::TlsSide>(out, trace::names(trace::TlsSide{}));
    return out;
}

}  // namespace

const std::string& catalogueGlyphText() {
    static const std::string text = buildCatalogueText();
    return text;
}

std::string atlasText(const Document& doc, const ViewModel& view, std::span<const ScenarioEntry> scenarios) {
    std::string text = catalogueGlyphText();
    text += view.allText();
    for (const auto& d : doc.diagnostics) text += d.message(i18n::Lang::En) + d.message(i18n::Lang::Zh) + d.file;
    if (doc.loaded() && !doc.result->lesson.empty())
        for (Language l : {Language::English, Language::Chinese})
            text += loadLesson(lessonPath(doc.path, doc.result->lesson, l)).allText();
    // The inspector and the state panel explain in Chinese too: the explanations of the first events (a classroom
    // trace has a few hundred; a huge one keeps its atlas small).
    if (view.trace()) text += explanationGlyphText(*view.trace(), kGlyphExplainedEvents);
    for (const auto& s : scenarios) text += s.title.en + s.title.zh;
    // MIME hides characters from the transcript (encoded words, base64 bodies): the decoded text of the stored
    // messages, the first kGlyphMessages of them (a classroom scenario has a handful; a huge trace keeps its atlas).
    const auto& messages = view.mailboxes().messages();
    for (std::size_t i = 0; i < messages.size() && i < kGlyphMessages && view.trace(); ++i)
        text += inspectMessage(reassembleMessage(*view.trace(), messages[i])).glyphText();
    return text;
}

bool nextCodePoint(std::string_view s, std::size_t& at, char32_t& c) {
    while (at < s.size()) {
        const auto b = static_cast<unsigned char>(s[at]);
        const std::size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
        if (len == 0 || at + len > s.size()) {  // a continuation byte out of place, or cut short: skip it
            ++at;
            continue;
        }
        char32_t cp = len == 1 ? b : b & (0x7f >> len);
        bool ok = true;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cb = static_cast<unsigned char>(s[at + k]);
            if ((cb & 0xc0) != 0x80) ok = false;
            cp = (cp << 6) | (cb & 0x3f);
        }
        at += ok ? len : 1;
        if (!ok) continue;
        c = cp;
        return true;
    }
    return false;
}

std::string encodeUtf8(char32_t c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
    return out;
}

bool GlyphSet::add(std::string_view utf8) {
    bool added = false;
    std::size_t at = 0;
    char32_t c = 0;
    while (nextCodePoint(utf8, at, c)) {
        if (c >= m_has.size() || m_has[c]) continue;
        m_has[c] = true;
        added = true;
    }
    return added;
}

void GlyphSet::addRange(char32_t first, char32_t last) {
    for (char32_t c = first; c <= last && c < m_has.size(); ++c) m_has[c] = true;
}

std::vector<char32_t> GlyphSet::missing(std::string_view utf8) const {
    std::vector<char32_t> out;
    std::vector<bool> seen(m_has.size(), false);
    std::size_t at = 0;
    char32_t c = 0;
    while (nextCodePoint(utf8, at, c)) {
        if (c >= m_has.size() || m_has[c] || seen[c]) continue;
        seen[c] = true;
        out.push_back(c);
    }
    return out;
}

}  // namespace mailsim::gui
