// Mailboxes at the cursor: per user, the folders and the messages they hold at this step (derived from StoreChanged
// events, see Mailboxes.hpp: stepping back undoes deliveries). A message delivered by the row at the cursor is
// highlighted. Clicking a message opens the message inspector below: where it came from, its decoded subject and
// addresses, and three tabs: the MIME tree (engine/message's model: content types, encodings, sizes, file names;
// the decoded text of a text part, a hex dump of any other part), the header fields (decoded, with the encoded words
// as written), and the raw source as the client sent it. Everything is prepared when a message is selected
// (reassembleMessage + inspectMessage, see MimeView.hpp), never per frame.
#include "MimeView.hpp"
#include "Panel.hpp"
#include "Theme.hpp"

#include <algorithm>
#include <cstdio>

namespace mailsim::gui {
namespace {

class MailboxesPanel final : public Panel {
public:
    MailboxesPanel() { m_visible.reserve(256); }
    const char* id() const override { return "mailboxes"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleMailboxes); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Side : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        const MailboxModel& mb = view.mailboxes();
        if (view.trace() != m_seenTrace || ctx.cursor.count() != m_seenCount) {  // a new document
            m_seenTrace = view.trace();
            m_seenCount = ctx.cursor.count();
            m_selected = kNoRow;
            // Select the last message, so the inspector has something to show at once.
            if (!mb.messages().empty()) select(ctx, mb.messages().size() - 1);
        }
        const std::size_t k = ctx.cursor.position();
        bool any = false;
        for (const UserRecord& user : mb.users())
            for (const FolderRecord& f : user.folders) any = any || mb.countAt(f, k) > 0;
        if (!any) ImGui::TextDisabled("%s", tr(S::NoMailYet));

        // The folder list takes what it needs, at most half the panel when a message is open below it.
        float lines = 0.0f;
        for (const UserRecord& user : mb.users()) {
            lines += 1.0f;
            for (const FolderRecord& f : user.folders) lines += 1.0f + static_cast<float>(std::max<std::size_t>(mb.countAt(f, k), 1));
        }
        const float wanted = lines * ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
        const float listHeight =
            m_selected == kNoRow ? 0.0f : std::min(wanted, ImGui::GetContentRegionAvail().y * 0.5f);
        ImGui::BeginChild("##folders", ImVec2(0.0f, listHeight), false);
        for (std::size_t u = 0; u < mb.users().size(); ++u) {
            const UserRecord& user = mb.users()[u];
            ImGui::PushID(static_cast<int>(u));
            ImGui::SetNextItemOpen(true, ImGuiCond_Once);
            if (ImGui::TreeNode("##user", "%s", user.name.c_str())) {
                for (std::size_t fi = 0; fi < user.folders.size(); ++fi) drawFolder(ctx, user.folders[fi], fi);
                ImGui::TreePop();
            }
            ImGui::PopID();
        }
        ImGui::EndChild();
        if (m_selected != kNoRow && m_selected < mb.messages().size()) {
            ImGui::Separator();
            drawMessage(ctx, mb.message(m_selected));
        }
    }

private:
    void select(const PanelContext& ctx, std::size_t message) {
        m_selected = message;
        m_mime = inspectMessage(reassembleMessage(*ctx.view.trace(), ctx.view.mailboxes().message(message)));
        m_part = m_mime.firstShownPart();
        m_scrollToPart = true;
    }

    void drawFolder(PanelContext& ctx, const FolderRecord& folder, std::size_t index) {
        const MailboxModel& mb = ctx.view.mailboxes();
        const std::size_t k = ctx.cursor.position();
        ImGui::PushID(static_cast<int>(index));
        ImGui::SetNextItemOpen(true, ImGuiCond_Once);
        const bool open = ImGui::TreeNode("##folder", tr(S::MessagesFmt), folder.name.c_str(), mb.countAt(folder, k));
        if (open) {
            mb.visibleAt(folder, k, m_visible);
            if (m_visible.empty()) ImGui::TextDisabled("%s", tr(S::FolderEmpty));
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(m_visible.size()));
            while (clipper.Step()) {
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    const std::size_t m = m_visible[static_cast<std::size_t>(i)];
                    const MessageRecord& rec = mb.message(m);
                    const bool fresh = rec.appearedRow == k;  // delivered by the row at the cursor
                    char label[160];
                    std::snprintf(label, sizeof label, "uid %llu  %llu B##%zu", static_cast<unsigned long long>(rec.uid),
                                  static_cast<unsigned long long>(rec.size), m);
                    if (fresh) ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kStore));
                    if (ImGui::Selectable(label, m == m_selected || fresh)) select(ctx, m);
                    if (fresh) ImGui::PopStyleColor();
                }
            }
            ImGui::TreePop();
        }
        ImGui::PopID();
    }

    void drawMessage(PanelContext& ctx, const MessageRecord& m) {
        const bool alive = ctx.view.mailboxes().aliveAt(m_selected, ctx.cursor.position());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kStore, alive ? 1.0f : 0.45f));
        ImGui::Text("%s  %s  uid %llu", m.user.c_str(), m.folder.c_str(), static_cast<unsigned long long>(m.uid));
        ImGui::PopStyleColor();
        char link[96];
        std::snprintf(link, sizeof link, tr(S::StoredBySessionFmt), m.session, m.appearedRow);
        const float linkWidth = ImGui::CalcTextSize(link).x + ImGui::GetStyle().FramePadding.x * 2.0f;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < linkWidth) ImGui::NewLine();  // on the same line when it fits
        if (ImGui::SmallButton(link)) ctx.cursor.set(m.appearedRow);
        const float dim = alive ? 1.0f : 0.45f;
        drawSummary(dim);
        if (!ImGui::BeginTabBar("##message")) return;
        if (ImGui::BeginTabItem(tr(S::MimeStructure))) {
            drawTree(ctx, dim);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr(S::MimeHeaders))) {
            drawHeaders(ctx, m_mime.headers, dim, true);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr(S::MimeSource))) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::TextWrapped("%s", tr(S::ContentAsSent));
            ImGui::PopStyleColor();
            drawText(ctx, "##source", m_mime.raw, dim, true);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }

    // Subject, From and To, decoded (RFC 2047): the Chinese the sender typed, not the encoded words on the wire.
    void drawSummary(float dim) {
        if (!m_mime.subject.empty()) {
            ImGui::TextDisabled("%s", tr(S::MimeSubject));
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, dim));
            ImGui::TextWrapped("%s", m_mime.subject.c_str());
            ImGui::PopStyleColor();
        }
        if (!m_mime.from.empty() || !m_mime.to.empty()) {
            ImGui::TextDisabled("%s", tr(S::MimeFromTo));
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, dim));
            ImGui::TextWrapped("%s \xe2\x86\x92 %s", m_mime.from.c_str(), m_mime.to.c_str());  // →
            ImGui::PopStyleColor();
        }
        if (!m_mime.problems.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
            ImGui::TextUnformatted(tr(S::MimeProblems));
            for (const std::string& p : m_mime.problems) {
                ImGui::Bullet();
                ImGui::TextWrapped("%s", p.c_str());
            }
            ImGui::PopStyleColor();
        }
    }

    // The MIME tree, one selectable line per part (indented by depth), then the selected part.
    void drawTree(PanelContext& ctx, float dim) {
        const float line = ImGui::GetTextLineHeightWithSpacing();
        // The whole tree when it fits in 45% of the room, else at least two lines of it (it scrolls); the selected
        // part's content gets the rest.
        const float treeHeight = std::min(line * static_cast<float>(m_mime.parts.size()) + line * 0.25f,
                                          std::max(ImGui::GetContentRegionAvail().y * 0.45f, line * 2.0f));
        ImGui::BeginChild("##tree", ImVec2(0.0f, treeHeight), false);
        const float indent = ImGui::GetFontSize() * 1.2f;
        for (std::size_t i = 0; i < m_mime.parts.size(); ++i) {
            const MimePartView& p = m_mime.parts[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent * static_cast<float>(p.depth));
            const Rgb color = p.multipart || p.message ? colors::kState : p.attachment ? colors::kStore : colors::kClient;
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(color, dim));
            if (ImGui::Selectable(p.label.c_str(), i == m_part)) m_part = i;
            if (i == m_part && m_scrollToPart) {
                ImGui::SetScrollHereY();
                m_scrollToPart = false;
            }
            ImGui::PopStyleColor();
            ImGui::PopID();
        }
        ImGui::EndChild();
        if (m_part >= m_mime.parts.size()) return;
        const MimePartView& p = m_mime.parts[m_part];
        ImGui::Separator();
        if (!p.headers.empty() && ImGui::TreeNode("##partheaders", "%s (%zu)", tr(S::MimeHeaders), p.headers.size())) {
            drawHeaders(ctx, p.headers, dim, false);
            ImGui::TreePop();
        }
        if (p.multipart || p.message) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
            ImGui::TextWrapped(tr(S::MimeContainerFmt), p.boundary.c_str());
            ImGui::PopStyleColor();
        } else if (p.text) {
            if (p.omitted > 0) ImGui::TextDisabled(tr(S::MimeOmittedFmt), p.omitted);
            drawText(ctx, "##text", p.content, dim, false);
        } else {
            drawHex(ctx, p, dim);
        }
    }

    // `fill`: the table takes the rest of the tab and scrolls; otherwise it is as tall as its rows (a part's fields
    // above the part's content).
    void drawHeaders(const PanelContext& ctx, const std::vector<MimeHeaderRow>& rows, float dim, bool fill) {
        ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH;
        if (fill) flags |= ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("##headers", 2, flags)) return;
        ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
        for (const MimeHeaderRow& h : rows) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextColored(toVec4(colors::kState, dim), "%s", h.name.c_str());
            ImGui::TableSetColumnIndex(1);
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, dim));
            ImGui::TextWrapped("%s", h.decoded.c_str());
            ImGui::PopStyleColor();
            if (h.encoded) {  // the encoded words as they travel, under the decoded text
                ImGui::PushFont(ctx.fonts.mono());
                ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote, dim));
                ImGui::TextWrapped("%s %s", tr(S::MimeRawValue), h.raw.c_str());
                ImGui::PopStyleColor();
                ImGui::PopFont();
            }
        }
        ImGui::EndTable();
    }

    void drawText(const PanelContext& ctx, const char* id, const std::string& text, float dim, bool mono) {
        ImGui::BeginChild(id, ImVec2(0.0f, 0.0f), true);
        if (mono) ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, dim));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        if (mono) ImGui::PopFont();
        ImGui::EndChild();
    }

    // Binary parts: offset, hex, ASCII; only the visible lines are submitted.
    void drawHex(const PanelContext& ctx, const MimePartView& p, float dim) {
        ImGui::BeginChild("##hex", ImVec2(0.0f, 0.0f), true, ImGuiWindowFlags_HorizontalScrollbar);
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, dim));
        // 16 octets per line when that fits the panel, else 8.
        const bool wide = p.hex.empty() || ImGui::CalcTextSize(p.hex.front().c_str()).x <= ImGui::GetContentRegionAvail().x;
        const std::vector<std::string>& lines = wide ? p.hex : p.hexNarrow;
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(lines.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                ImGui::TextUnformatted(lines[static_cast<std::size_t>(i)].c_str());
        ImGui::PopStyleColor();
        if (p.omitted > 0) ImGui::TextDisabled(tr(S::MimeOmittedFmt), p.omitted);
        ImGui::PopFont();
        ImGui::EndChild();
    }

    std::vector<std::size_t> m_visible;  // reused per folder: no allocation once warm
    std::size_t m_selected = kNoRow;
    MimeInspection m_mime;       // of the selected message, prepared when it is selected
    std::size_t m_part = 0;      // the MIME part shown below the tree
    bool m_scrollToPart = false; // bring m_part into the tree's view once (after a new selection)
    const trace::Trace* m_seenTrace = nullptr;
    std::size_t m_seenCount = ~std::size_t{0};
};

}  // namespace

std::unique_ptr<Panel> makeMailboxesPanel() { return std::make_unique<MailboxesPanel>(); }

}  // namespace mailsim::gui
