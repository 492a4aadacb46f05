// Mailboxes at the cursor: per user, the folders and the messages they hold at this step (derived from StoreChanged
// events, see Mailboxes.hpp: stepping back undoes deliveries). A message delivered by the row at the cursor is
// highlighted. Clicking a message opens the message inspector below: where it came from and its content as the
// client sent it (reassembled from the DATA lines when selected, not per frame).
//
// MIME seam: the message inspector shows raw headers and body. When engine/message's MIME model lands, its tree
// goes where drawMimeSeam() is, fed with the same reassembled content; nothing else here changes.
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
        m_content = reassembleMessage(*ctx.view.trace(), ctx.view.mailboxes().message(message));
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
                    std::snprintf(label, sizeof label, "uid %llu  %s##%zu", static_cast<unsigned long long>(rec.uid),
                                  rec.detail.c_str(), m);
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
        if (ImGui::SmallButton(link)) ctx.cursor.set(m.appearedRow);
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
        ImGui::TextWrapped("%s", tr(S::ContentAsSent));
        ImGui::PopStyleColor();
        drawMimeSeam();
        ImGui::BeginChild("##content", ImVec2(0.0f, 0.0f), true);
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kText, alive ? 1.0f : 0.45f));
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(m_content.data(), m_content.data() + m_content.size());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::EndChild();
    }

    // Where the MIME tree goes once engine/message provides it; until then, say so (no fake tree).
    void drawMimeSeam() { ImGui::TextDisabled("%s", tr(S::MimeLater)); }

    std::vector<std::size_t> m_visible;  // reused per folder: no allocation once warm
    std::size_t m_selected = kNoRow;
    std::string m_content;
    const trace::Trace* m_seenTrace = nullptr;
    std::size_t m_seenCount = ~std::size_t{0};
};

}  // namespace

std::unique_ptr<Panel> makeMailboxesPanel() { return std::make_unique<MailboxesPanel>(); }

}  // namespace mailsim::gui
