// The lesson: the scenario's Markdown lesson (parsed by Lesson.cpp with md4c) laid out here with ImGui's fonts:
// headings in the heading face, code in the mono face on a tinted background, strong text drawn twice one pixel
// apart, emphasis in a darker accent colour (the fonts have no italic), lists with their markers and indentation.
// English and Chinese switch at the top (lessons/en <-> lessons/zh). Lines wrap at spaces for Latin text and
// between any two characters for Chinese.
//
// The layout (text pieces with positions) is computed only when the lesson or the width changes and kept in vectors
// whose capacity survives; a frame draws the pieces that intersect the visible region. Pipe tables are ImGui tables
// (borders, alternating row colours, the head row bold on the header colour, cells wrapped, column widths in
// proportion to their longest text): the layout is cut into segments, flowing text between tables.
#include "Panel.hpp"
#include "Theme.hpp"

#include "sim/world/Api.hpp"

#include <algorithm>

namespace mailsim::gui {
namespace {

bool isCjk(unsigned char lead) { return lead >= 0xe3 && lead <= 0xef; }

std::size_t charLength(unsigned char lead) {
    return lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

struct Piece {
    ImVec2 pos;            // relative to the layout origin
    const char* begin;
    const char* end;
    ImFont* font;
    float size;
    std::uint8_t style;
    BlockKind kind;
    float width = 0.0f;            // of the text, for the clickable area of a link
    std::string_view checkpoint;   // a link to a scenario checkpoint: its name ("" otherwise)
    std::string_view scenario;     // the scenario file the link names ("" = the open one)
};

struct Box {
    ImVec2 min, max;  // relative to the layout origin
    unsigned color;
};

// A run of laid-out text (pieces and boxes, positions relative to the segment's top) or one table.
struct Segment {
    std::size_t pieceBegin = 0, pieceEnd = 0, boxBegin = 0, boxEnd = 0;
    float height = 0.0f;
    const LessonBlock* table = nullptr;
    std::vector<float> weights;  // a table's column widths, in proportion
};

class LessonPanel final : public Panel {
public:
    const char* id() const override { return "lesson"; }
    const char* title(const PanelContext&) const override { return tr(S::TitleLesson); }
    Slot slot(const PanelContext& ctx) const override { return ctx.doc.loaded() ? Slot::Side : Slot::Hidden; }

    void draw(PanelContext& ctx) override {
        ViewSettings& s = ctx.settings;
        if (ImGui::RadioButton("English", s.lessonLanguage == Language::English) && s.lessonLanguage != Language::English) {
            s.lessonLanguage = Language::English;
            ctx.request(LessonLanguageChanged{});
        }
        ImGui::SameLine();
        if (ImGui::RadioButton("\xe4\xb8\xad\xe6\x96\x87", s.lessonLanguage == Language::Chinese) &&  // 中文
            s.lessonLanguage != Language::Chinese) {
            s.lessonLanguage = Language::Chinese;
            ctx.request(LessonLanguageChanged{});
        }
        const Lesson& lesson = ctx.lesson;
        if (lesson.path.empty()) {
            ImGui::TextDisabled("%s", tr(S::NoLesson));
            return;
        }
        if (!lesson.error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, toVec4(colors::kError));
            ImGui::TextWrapped(tr(S::LessonMissingFmt), lesson.path.c_str());
            ImGui::PopStyleColor();
            return;
        }
        ImGui::BeginChild("##lesson", ImVec2(0.0f, 0.0f), false);
        const float width = ImGui::GetContentRegionAvail().x;
        if (&lesson != m_seenLesson || lesson.generation != m_seenGeneration || lesson.blocks.size() != m_seenBlocks ||
            lesson.path != m_seenPath ||
            width != m_seenWidth || ctx.fonts.ui() != m_seenFont) {
            m_seenLesson = &lesson;
            m_seenGeneration = lesson.generation;
            m_seenBlocks = lesson.blocks.size();
            m_seenPath = lesson.path;
            m_seenWidth = width;
            m_seenFont = ctx.fonts.ui();
            layout(ctx, lesson, width);
        }
        for (std::size_t i = 0; i < m_segments.size(); ++i) {
            const Segment& seg = m_segments[i];
            if (seg.table) drawTable(ctx, seg, static_cast<int>(i));
            else drawText(ctx, seg, width);
        }
        ImGui::EndChild();
    }

private:
    void drawText(PanelContext& ctx, const Segment& seg, float width) {
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const float clipTop = ImGui::GetWindowPos().y, clipBottom = clipTop + ImGui::GetWindowHeight();
        for (std::size_t i = seg.boxBegin; i < seg.boxEnd; ++i) {
            const Box& b = m_boxes[i];
            if (origin.y + b.max.y < clipTop || origin.y + b.min.y > clipBottom) continue;
            dl->AddRectFilled(ImVec2(origin.x + b.min.x, origin.y + b.min.y), ImVec2(origin.x + b.max.x, origin.y + b.max.y),
                              b.color, 4.0f);
        }
        const unsigned text = toU32(colors::kText), em = toU32({0x6a, 0x1b, 0x9a}), code = toU32({0x9c, 0x1c, 0x1c}),
                       link = toU32(colors::kClient), heading = toU32(colors::kHeading);
        for (std::size_t i = seg.pieceBegin; i < seg.pieceEnd; ++i) {
            const Piece& p = m_pieces[i];
            const float y = origin.y + p.pos.y;
            if (y + p.size < clipTop || y > clipBottom) continue;
            unsigned c = p.kind == BlockKind::Heading ? heading
                         : (p.style & kCode)          ? code
                         : (p.style & kLink)          ? link
                         : (p.style & kEmphasis)      ? em
                                                      : text;
            if (p.kind == BlockKind::Quote) c = toU32(colors::kNote);
            const ImVec2 at(origin.x + p.pos.x, y);
            if (!p.checkpoint.empty()) c = toU32(colors::kAccent);
            dl->AddText(p.font, p.size, at, c, p.begin, p.end);
            if (!p.checkpoint.empty()) checkpointLink(ctx, p, at, c);
            if ((p.style & kStrong) || p.kind == BlockKind::Heading)
                dl->AddText(p.font, p.size, ImVec2(at.x + 1.0f, at.y), c, p.begin, p.end);  // bold by overdraw
        }
        ImGui::Dummy(ImVec2(width, std::max(seg.height, 1.0f)));
    }

    // A pipe table as an ImGui table: each cell's text wrapped to its column, the head row bold (drawn twice one
    // pixel apart, like strong text) on its own fill. Cells are drawn in one style (their spans joined), so a code
    // span in a cell looks like the text around it.
    void drawTable(PanelContext& ctx, const Segment& seg, int index) {
        const LessonBlock& t = *seg.table;
        if (t.columns <= 0) return;
        const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
        ImGui::PushID(index);
        ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(ctx.fonts.size() * 0.3f, ctx.fonts.size() * 0.15f));
        if (ImGui::BeginTable("##table", t.columns, flags)) {
            for (int c = 0; c < t.columns; ++c)
                ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthStretch, seg.weights[static_cast<std::size_t>(c)]);
            const unsigned text = toU32(colors::kText);
            ImFont* font = ctx.fonts.ui();
            const float size = ctx.fonts.size();
            for (const LessonTableRow& row : t.rows) {
                ImGui::TableNextRow(row.header ? ImGuiTableRowFlags_Headers : ImGuiTableRowFlags_None);
                for (std::size_t c = 0; c < row.cells.size(); ++c) {
                    ImGui::TableSetColumnIndex(static_cast<int>(c));
                    if (row.header) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, toU32(colors::kTableHead));
                    m_cellText = cellText(row.cells[c]);
                    const float wrap = std::max(ImGui::GetContentRegionAvail().x, size);
                    const char* b = m_cellText.data();
                    const char* e = b + m_cellText.size();
                    const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, wrap, b, e);
                    const ImVec2 at = ImGui::GetCursorScreenPos();
                    float x = at.x;
                    const CellAlign align = t.align[c];
                    if (extent.x < wrap && (align == CellAlign::Right || align == CellAlign::Center))
                        x += align == CellAlign::Right ? wrap - extent.x : (wrap - extent.x) * 0.5f;
                    ImDrawList* dl = ImGui::GetWindowDrawList();
                    const unsigned colour = row.header ? toU32(colors::kHeading) : text;
                    dl->AddText(font, size, ImVec2(x, at.y), colour, b, e, wrap);
                    if (row.header) dl->AddText(font, size, ImVec2(x + 1.0f, at.y), colour, b, e, wrap);
                    ImGui::Dummy(ImVec2(std::min(extent.x, wrap), extent.y));
                }
            }
            ImGui::EndTable();
        }
        ImGui::PopStyleVar();
        ImGui::PopID();
        ImGui::Dummy(ImVec2(1.0f, ctx.fonts.size() * 0.3f));
    }

    // A checkpoint link: underlined; hovering shows where it goes, a click moves the cursor to the checkpoint's row.
    static void checkpointLink(PanelContext& ctx, const Piece& p, ImVec2 at, unsigned color) {
        const ImVec2 max(at.x + p.width, at.y + p.size);
        const bool hover = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(at, max);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, max.y), max, color, hover ? 2.0f : 1.0f);
        if (!hover) return;
        const int n = static_cast<int>(p.checkpoint.size());
        const std::string& open = ctx.doc.path;
        const bool other = !p.scenario.empty() && open != p.scenario &&
                           !(open.ends_with(p.scenario) && open[open.size() - p.scenario.size() - 1] == '/');
        if (other) {  // another scenario next to this one: open it there
            ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            ImGui::SetTooltip(tr(S::OpenAtCheckpointFmt), static_cast<int>(p.scenario.size()), p.scenario.data(), n,
                              p.checkpoint.data());
            if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
                const auto slash = open.find_last_of('/');
                ctx.request(OpenRequest{(slash == std::string::npos ? std::string() : open.substr(0, slash + 1)) +
                                            std::string(p.scenario),
                                        std::string(p.checkpoint)});
            }
            return;
        }
        const trace::Trace* trace = ctx.view.trace();
        auto id = trace ? sim::findCheckpoint(*trace, p.checkpoint) : std::nullopt;
        auto row = id ? ctx.view.rowOfEvent(*id) : std::nullopt;
        if (!row) {
            ImGui::SetTooltip(tr(S::NoCheckpointFmt), n, p.checkpoint.data());
            return;
        }
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ImGui::SetTooltip(tr(S::GoToCheckpointFmt), n, p.checkpoint.data());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ctx.cursor.set(*row);
    }

    void layout(const PanelContext& ctx, const Lesson& lesson, float width) {
        m_pieces.clear();
        m_boxes.clear();
        m_segments.clear();
        m_segments.emplace_back();
        const float base = ctx.fonts.size();
        const float indentStep = base * 1.4f;
        float y = 0.0f;
        auto closeText = [&] {
            Segment& seg = m_segments.back();
            seg.pieceEnd = m_pieces.size();
            seg.boxEnd = m_boxes.size();
            seg.height = y;
        };
        for (const LessonBlock& block : lesson.blocks) {
            if (block.kind == BlockKind::Table) {
                closeText();
                Segment table;
                table.table = &block;
                table.weights.assign(static_cast<std::size_t>(std::max(block.columns, 0)), 1.0f);
                // Columns as wide as their longest text, but none more than 40% of the panel (its text wraps).
                for (const LessonTableRow& row : block.rows)
                    for (std::size_t c = 0; c < row.cells.size() && c < table.weights.size(); ++c) {
                        const std::string text = cellText(row.cells[c]);
                        const float w = ctx.fonts.ui()->CalcTextSizeA(base, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
                        table.weights[c] = std::max(table.weights[c], std::min(w, width * 0.4f));
                    }
                m_segments.push_back(std::move(table));
                Segment next;
                next.pieceBegin = m_pieces.size();
                next.boxBegin = m_boxes.size();
                m_segments.push_back(next);
                y = 0.0f;
                continue;
            }
            ImFont* font = ctx.fonts.ui();
            float size = base;
            float x0 = 0.0f;
            if (block.kind == BlockKind::Heading) {
                font = ctx.fonts.heading();
                size = block.level <= 1 ? base * 1.4f : block.level == 2 ? base * 1.2f : base * 1.05f;
                y += base * (block.level <= 1 ? 0.2f : 0.6f);
            }
            if (block.kind == BlockKind::ListItem || block.kind == BlockKind::Paragraph || block.kind == BlockKind::Quote)
                x0 = static_cast<float>(std::max(block.level, 0)) * indentStep;
            if (block.kind == BlockKind::Quote) {
                x0 += indentStep * 0.6f;
                m_boxes.push_back({ImVec2(x0 - indentStep * 0.4f, y), ImVec2(x0 - indentStep * 0.25f, y + size), toU32(colors::kNote, 0.6f)});
            }
            if (block.kind == BlockKind::Rule) {
                m_boxes.push_back({ImVec2(0.0f, y + base * 0.5f), ImVec2(width, y + base * 0.5f + 2.0f), toU32(colors::kNote, 0.5f)});
                y += base * 1.2f;
                continue;
            }
            if (block.kind == BlockKind::ListItem) {
                const char* m = block.marker.c_str();
                m_pieces.push_back({ImVec2(x0 - indentStep * 0.9f, y), m, m + block.marker.size(), font, size, kPlain, block.kind, 0.0f, {}, {}});
                if (block.level == 0) x0 += indentStep;
            }
            if (block.kind == BlockKind::Code) {
                y = layoutCode(ctx, block, y, x0, width);
                continue;
            }
            y = layoutFlow(ctx, block, font, size, x0, width, y);
            y += base * (block.kind == BlockKind::ListItem ? 0.15f : 0.55f);
        }
        closeText();
    }

    // Pre-formatted: one piece per line, on a tinted box, no wrapping.
    float layoutCode(const PanelContext& ctx, const LessonBlock& block, float y, float x0, float width) {
        const float size = ctx.fonts.size() * 0.95f;
        const float lineH = size * 1.2f;
        const float top = y;
        y += size * 0.3f;
        for (const LessonSpan& span : block.spans) {
            const char* p = span.text.data();
            const char* end = p + span.text.size();
            while (p < end) {
                const char* nl = std::find(p, end, '\n');
                m_pieces.push_back({ImVec2(x0 + size * 0.6f, y), p, nl, ctx.fonts.mono(), size, kCode, BlockKind::Code, 0.0f, {}, {}});
                y += lineH;
                p = nl < end ? nl + 1 : end;
            }
        }
        y += size * 0.3f;
        m_boxes.push_back({ImVec2(x0, top), ImVec2(width, y), toU32({0xee, 0xec, 0xe4})});
        return y + ctx.fonts.size() * 0.5f;
    }

    // Flowing text: words (Latin, with their trailing space) and single CJK characters are the units of wrapping.
    float layoutFlow(const PanelContext& ctx, const LessonBlock& block, ImFont* font, float size, float x0, float width,
                     float y) {
        const float lineH = size * 1.3f;
        float x = x0;
        for (const LessonSpan& span : block.spans) {
            ImFont* f = (span.style & kCode) ? ctx.fonts.mono() : font;
            const char* p = span.text.data();
            const char* end = p + span.text.size();
            while (p < end) {
                if (*p == '\n') {
                    x = x0;
                    y += lineH;
                    ++p;
                    continue;
                }
                const char* q = p;
                const unsigned char lead = static_cast<unsigned char>(*q);
                if (isCjk(lead)) {
                    q += charLength(lead);
                } else {
                    while (q < end && *q != ' ' && *q != '\n' && !isCjk(static_cast<unsigned char>(*q)))
                        q += charLength(static_cast<unsigned char>(*q));
                    while (q < end && *q == ' ') ++q;
                }
                q = std::min(q, end);
                const float w = f->CalcTextSizeA(size, FLT_MAX, 0.0f, p, q).x;
                if (x > x0 && x + w > width) {
                    x = x0;
                    y += lineH;
                    while (p < q && *p == ' ') ++p;  // no leading space on a new line
                }
                if (span.style & kCode) {
                    float tw = f->CalcTextSizeA(size, FLT_MAX, 0.0f, p, q).x;
                    const char* t = q;
                    while (t > p && t[-1] == ' ') --t;
                    tw = f->CalcTextSizeA(size, FLT_MAX, 0.0f, p, t).x;
                    m_boxes.push_back({ImVec2(x - 2.0f, y), ImVec2(x + tw + 2.0f, y + size * 1.1f), toU32({0xee, 0xec, 0xe4})});
                }
                const float pw = f->CalcTextSizeA(size, FLT_MAX, 0.0f, p, q).x;
                m_pieces.push_back({ImVec2(x, y), p, q, f, size, span.style, block.kind, pw,
                                    (span.style & kLink) ? checkpointTarget(span.href) : std::string_view{},
                                    (span.style & kLink) ? checkpointScenario(span.href) : std::string_view{}});
                x += pw;
                p = q;
            }
        }
        return y + lineH;
    }

    std::vector<Piece> m_pieces;
    std::vector<Box> m_boxes;
    std::vector<Segment> m_segments;
    std::string m_cellText;  // scratch, reused per cell
    const Lesson* m_seenLesson = nullptr;
    std::uint64_t m_seenGeneration = 0;  // the pieces point into the lesson's spans: a reloaded lesson re-lays out
    std::size_t m_seenBlocks = 0;
    std::string m_seenPath;
    float m_seenWidth = -1.0f;
    ImFont* m_seenFont = nullptr;
};

}  // namespace

std::unique_ptr<Panel> makeLessonPanel() { return std::make_unique<LessonPanel>(); }

}  // namespace mailsim::gui
