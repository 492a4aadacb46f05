// The event inspector: for the row at the cursor, what it means (from the engine's command table and reply
// catalogue, see Explain.hpp) and the bytes as they went over the wire: offset, hex and ASCII, with CR and LF
// marked so students see the line ends that the transcript hides. The explanation is computed when the cursor moves,
// not per frame. Below, the eavesdropper's view (issue #6): for a line protected by TLS, the TLS records that carried
// it (their summary and the first bytes in hex: all a packet capture shows); for a plaintext line, that anyone on the
// path reads it as shown (and for credentials, that base64 is not encryption); for TLS records, what they are.
#include "Explain.hpp"
#include "Panel.hpp"
#include "Theme.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace mailsim::gui {
namespace {

class InspectorPanel final : public Panel {
public:
    const char* id() const override { return "inspector"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleInspector); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Side : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        const ViewModel& view = ctx.view;
        if (view.empty() || !view.trace()) {
            ImGui::TextDisabled("%s", tr(S::NothingToShow));
            return;
        }
        const std::size_t k = ctx.cursor.position();
        const Row& row = view.row(k);
        const trace::Event& e = view.trace()->at(row.event);
        if (ctx.cursor.generation() != m_seenGeneration || view.trace() != m_seenTrace || view.size() != m_seenRows ||
            uiLang() != m_seenLang) {
            m_seenGeneration = ctx.cursor.generation();
            m_seenTrace = view.trace();
            m_seenRows = view.size();  // a live trace grows: the records of the last line may have arrived
            m_seenLang = uiLang();     // the explanation is in the UI's language
            m_explanation = explainEvent(*view.trace(), e, m_seenLang);
            // The scenario's own narration in the UI's language (the Note's text is the English).
            if (e.kind == trace::EventKind::Note && ctx.doc.loaded() && m_explanation.notes.size() == 1 &&
                e.machine != sim::kCheckpointMachine)
                m_explanation.notes[0] = sim::scenarioTextOf(*ctx.doc.result, e, m_seenLang);
            // A checkpoint's label, as the scenario wrote it, in the UI's language.
            if (e.kind == trace::EventKind::Note && ctx.doc.loaded() && e.machine == sim::kCheckpointMachine)
                if (std::string label = sim::scenarioTextOf(*ctx.doc.result, e, m_seenLang); label != e.text)
                    m_explanation.facts.push_back({m_seenLang == i18n::Lang::Zh ? "标签" : "label", std::move(label)});
            m_wire = wireViewOf(*view.trace(), e);
        }
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kNote));
        ImGui::Text(tr(S::EventFmt), k, static_cast<unsigned long long>(e.id), e.session);
        ImGui::PopStyleColor();
        ImGui::PushFont(ctx.fonts.mono());
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(rowColor(row.kind)));
        ImGui::TextWrapped("%s", row.text.c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        // The bytes first (a line or three), then what they mean.
        ImGui::TextDisabled("%s", tr(S::RawBytes));
        if (e.raw.empty()) ImGui::TextDisabled("%s", tr(S::NoRawBytes));
        else drawHex(ctx, e.raw);
        drawEavesdropper(ctx, e);
        ImGui::Separator();

        ImGui::PushFont(ctx.fonts.heading());
        ImGui::TextUnformatted(m_explanation.heading.c_str());
        ImGui::PopFont();
        if (!m_explanation.facts.empty() &&
            ImGui::BeginTable("facts", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH)) {
            ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
            for (const Fact& f : m_explanation.facts) {
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                ImGui::TextDisabled("%s", f.label.c_str());
                ImGui::TableSetColumnIndex(1);
                ImGui::TextWrapped("%s", f.value.c_str());
            }
            ImGui::EndTable();
        }
        for (const std::string& note : m_explanation.notes) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kState));
            ImGui::Bullet();
            wrappedText(note);
            ImGui::PopStyleColor();
        }
    }

private:
    // What someone capturing packets between the client and the server gets for this event.
    void drawEavesdropper(const PanelContext& ctx, const trace::Event& e) {
        const bool records = e.kind == trace::EventKind::TlsRecords;
        if (e.kind != trace::EventKind::Line && !records) return;
        ImGui::Separator();
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kTls));
        ImGui::TextUnformatted(tr(S::EavesTitle));
        ImGui::PopStyleColor();
        if (records) {
            wrappedText(tr(S::EavesRecordsRow));
            return;
        }
        if (!m_wire.tls) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
            wrappedText(tr(S::EavesPlainLine));
            if (m_wire.credentials) wrappedText(tr(S::EavesPlainAuth));
            ImGui::PopStyleColor();
            return;
        }
        wrappedText(tr(S::EavesTlsLine));
        if (!m_wire.records) {
            ImGui::TextDisabled("%s", tr(S::EavesNoRecords));
            return;
        }
        const std::string& raw = m_wire.records->raw;
        const std::size_t shown = std::min<std::size_t>(raw.size(), kRecordBytesShown);
        ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kTls));
        char line[512];
        std::snprintf(line, sizeof line, tr(S::EavesRecordsFmt), m_wire.records->text.c_str(), shown, raw.size());
        wrappedText(line);
        ImGui::PopStyleColor();
        drawHex(ctx, std::string_view(raw).substr(0, shown), false);  // ciphertext: a 0d or 0a byte is no line end
    }

    static constexpr std::size_t kRecordBytesShown = 64;

    // 8 or 16 bytes per line, whichever fits: offset, hex cells, ASCII cells. CR and LF are accent-coloured in both
    // (unless `lineEnds` is false: TLS records, whose bytes are ciphertext).
    void drawHex(const PanelContext& ctx, std::string_view raw, bool lineEnds = true) {
        ImGui::PushFont(ctx.fonts.mono());
        const float cw = ImGui::CalcTextSize("0").x;
        const float line = ImGui::GetTextLineHeightWithSpacing();
        const float avail = ImGui::GetContentRegionAvail().x;
        const int perLine = avail >= cw * (6 + 16 * 3 + 1 + 16) ? 16 : 8;
        const std::size_t lines = (raw.size() + static_cast<std::size_t>(perLine) - 1) / static_cast<std::size_t>(perLine);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const unsigned text = toU32(colors::kText), dim = toU32(colors::kNote), accent = toU32(colors::kLineEnd);
        const unsigned special = toU32({0xc6, 0x28, 0x28});
        const float asciiX = origin.x + cw * (6 + perLine * 3 + 1);
        ImFont* font = ImGui::GetFont();
        const float small = ImGui::GetFontSize() * 0.5f;
        for (std::size_t l = 0; l < lines; ++l) {
            const float y = origin.y + static_cast<float>(l) * line;
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04zx", l * static_cast<std::size_t>(perLine));
            dl->AddText(ImVec2(origin.x, y), dim, buf);
            for (int i = 0; i < perLine; ++i) {
                const std::size_t at = l * static_cast<std::size_t>(perLine) + static_cast<std::size_t>(i);
                if (at >= raw.size()) break;
                const unsigned char c = static_cast<unsigned char>(raw[at]);
                const bool eol = lineEnds && (c == '\r' || c == '\n');
                std::snprintf(buf, sizeof buf, "%02x", c);
                const float hx = origin.x + cw * (6 + i * 3);
                if (eol) dl->AddRectFilled(ImVec2(hx - 2.0f, y), ImVec2(hx + cw * 2 + 2.0f, y + line - 2.0f),
                                           toU32(colors::kAccent, 0.25f), 3.0f);
                dl->AddText(ImVec2(hx, y), eol ? accent : (c < 0x20 || c >= 0x7f) ? special : text, buf);
                const float ax = asciiX + cw * static_cast<float>(i);
                if (eol) {
                    dl->AddText(font, small, ImVec2(ax, y + (line - small) * 0.4f), accent, c == '\r' ? "CR" : "LF");
                } else {
                    buf[0] = c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.';
                    buf[1] = 0;
                    dl->AddText(ImVec2(ax, y), c >= 0x20 && c < 0x7f ? text : special, buf);
                }
            }
        }
        ImGui::Dummy(ImVec2(asciiX - origin.x + cw * static_cast<float>(perLine), static_cast<float>(lines) * line));
        ImGui::PopFont();
    }

    i18n::Lang m_seenLang = i18n::Lang::En;

    std::uint64_t m_seenGeneration = ~std::uint64_t{0};
    const trace::Trace* m_seenTrace = nullptr;
    std::size_t m_seenRows = 0;
    Explanation m_explanation;
    WireView m_wire;
};

}  // namespace

std::unique_ptr<Panel> makeInspectorPanel() { return std::make_unique<InspectorPanel>(); }

}  // namespace mailsim::gui
