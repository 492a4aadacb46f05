#include "Lesson.hpp"

#include <md4c.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mailsim::gui {
namespace {

bool isCjkLead(unsigned char c) { return c >= 0xe3 && c <= 0xef; }  // U+3000..U+FFFF: CJK and fullwidth forms

// The first byte of the last UTF-8 character of `s`.
unsigned char lastLead(const std::string& s) {
    std::size_t i = s.size();
    while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xc0) == 0x80) --i;
    return i > 0 ? static_cast<unsigned char>(s[i - 1]) : 0;
}

const std::string kNoHref;

struct Builder {
    Lesson lesson;
    std::uint8_t style = kPlain;
    std::string href;  // the open link's target
    struct ListState { bool ordered; unsigned next; };
    std::vector<ListState> lists;
    int quoteDepth = 0;
    bool inCodeBlock = false;
    bool pendingSoftBreak = false;
    bool openItem = false;  // the last block is a list item that has no text yet (its first paragraph joins it)
    bool inHead = false;    // inside a table's head
    bool inCell = false;    // text goes to the current table cell

    std::vector<LessonSpan>& target() {
        LessonBlock& b = current();
        if (inCell && b.kind == BlockKind::Table && !b.rows.empty() && !b.rows.back().cells.empty())
            return b.rows.back().cells.back();
        return b.spans;
    }

    LessonBlock& current() {
        if (lesson.blocks.empty()) lesson.blocks.push_back({});
        return lesson.blocks.back();
    }
    void begin(BlockKind kind, int level) {
        LessonBlock b;
        b.kind = kind;
        b.level = level;
        lesson.blocks.push_back(std::move(b));
        pendingSoftBreak = false;
    }
    void add(std::string_view text) {
        std::vector<LessonSpan>& spans = target();
        if (pendingSoftBreak) {
            pendingSoftBreak = false;
            const std::string* prev = nullptr;
            for (auto it = spans.rbegin(); it != spans.rend() && !prev; ++it)
                if (!it->text.empty()) prev = &it->text;
            bool cjkJoin = prev && isCjkLead(lastLead(*prev)) && !text.empty() &&
                           isCjkLead(static_cast<unsigned char>(text.front()));
            if (!cjkJoin) addRaw(" ", style & ~kCode);
        }
        addRaw(text, style);
    }
    void addRaw(std::string_view text, std::uint8_t s) {
        std::vector<LessonSpan>& spans = target();
        const std::string& link = (s & kLink) ? href : kNoHref;
        if (!spans.empty() && spans.back().style == s && spans.back().href == link) spans.back().text.append(text);
        else spans.push_back({std::string(text), s, link});
    }
};

int enterBlock(MD_BLOCKTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    const int depth = static_cast<int>(b.lists.size());
    switch (type) {
    case MD_BLOCK_H: b.begin(BlockKind::Heading, static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level)); break;
    case MD_BLOCK_P:
        if (b.openItem) b.openItem = false;  // the item's first paragraph is the item's own text
        else b.begin(b.quoteDepth ? BlockKind::Quote : BlockKind::Paragraph, depth);
        break;
    case MD_BLOCK_UL: b.lists.push_back({false, 0}); break;
    case MD_BLOCK_OL: b.lists.push_back({true, static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start}); break;
    case MD_BLOCK_LI: {
        b.begin(BlockKind::ListItem, depth);
        if (!b.lists.empty() && b.lists.back().ordered) b.current().marker = std::to_string(b.lists.back().next++) + ".";
        else b.current().marker = "\xe2\x80\xa2";  // •
        b.openItem = true;
        break;
    }
    case MD_BLOCK_CODE: b.begin(BlockKind::Code, depth); b.inCodeBlock = true; break;
    case MD_BLOCK_QUOTE: ++b.quoteDepth; break;
    case MD_BLOCK_HR: b.begin(BlockKind::Rule, 0); break;
    case MD_BLOCK_TABLE:
        b.begin(BlockKind::Table, depth);
        b.current().columns = static_cast<int>(static_cast<MD_BLOCK_TABLE_DETAIL*>(detail)->col_count);
        break;
    case MD_BLOCK_THEAD: b.inHead = true; break;
    case MD_BLOCK_TR:
        if (b.current().kind == BlockKind::Table) b.current().rows.push_back({b.inHead, {}});
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        LessonBlock& t = b.current();
        if (t.kind != BlockKind::Table || t.rows.empty()) break;
        t.rows.back().cells.emplace_back();
        const std::size_t column = t.rows.back().cells.size() - 1;
        if (t.align.size() <= column) {
            const MD_ALIGN a = static_cast<MD_BLOCK_TD_DETAIL*>(detail)->align;
            t.align.push_back(a == MD_ALIGN_LEFT     ? CellAlign::Left
                              : a == MD_ALIGN_CENTER ? CellAlign::Center
                              : a == MD_ALIGN_RIGHT  ? CellAlign::Right
                                                     : CellAlign::Default);
        }
        b.inCell = true;
        b.pendingSoftBreak = false;
        break;
    }
    default: break;
    }
    return 0;
}

int leaveBlock(MD_BLOCKTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL: if (!b.lists.empty()) b.lists.pop_back(); break;
    case MD_BLOCK_LI: b.openItem = false; break;
    case MD_BLOCK_QUOTE: --b.quoteDepth; break;
    case MD_BLOCK_THEAD: b.inHead = false; break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: b.inCell = false; break;
    case MD_BLOCK_TABLE: {
        // md4c gives every row the table's column count; make sure of it so the panel can index freely.
        LessonBlock& t = b.current();
        for (auto& row : t.rows) row.cells.resize(static_cast<std::size_t>(t.columns));
        t.align.resize(static_cast<std::size_t>(t.columns), CellAlign::Default);
        break;
    }
    case MD_BLOCK_CODE: {
        b.inCodeBlock = false;
        auto& spans = b.current().spans;  // drop the final newline of the block
        if (!spans.empty() && !spans.back().text.empty() && spans.back().text.back() == '\n') spans.back().text.pop_back();
        break;
    }
    default: break;
    }
    return 0;
}

std::uint8_t spanBit(MD_SPANTYPE type) {
    switch (type) {
    case MD_SPAN_EM: return kEmphasis;
    case MD_SPAN_STRONG: return kStrong;
    case MD_SPAN_CODE: return kCode;
    case MD_SPAN_A: return kLink;
    default: return 0;
    }
}

int enterSpan(MD_SPANTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    if (type == MD_SPAN_A) {
        const MD_ATTRIBUTE& h = static_cast<MD_SPAN_A_DETAIL*>(detail)->href;
        b.href.assign(h.text ? h.text : "", h.size);
    }
    b.style |= spanBit(type);
    return 0;
}

int leaveSpan(MD_SPANTYPE type, void*, void* user) {
    static_cast<Builder*>(user)->style &= static_cast<std::uint8_t>(~spanBit(type));
    return 0;
}

int onText(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
    auto& b = *static_cast<Builder*>(user);
    std::string_view t(text, size);
    b.openItem = false;
    switch (type) {
    case MD_TEXT_SOFTBR: b.pendingSoftBreak = true; break;
    case MD_TEXT_BR: b.addRaw("\n", b.style); break;
    case MD_TEXT_NULLCHAR: b.add("\xef\xbf\xbd"); break;
    case MD_TEXT_HTML: break;  // raw HTML is not rendered
    case MD_TEXT_ENTITY:
        if (t == "&amp;") b.add("&");
        else if (t == "&lt;") b.add("<");
        else if (t == "&gt;") b.add(">");
        else if (t == "&quot;") b.add("\"");
        else if (t == "&nbsp;") b.add(" ");
        else b.add(t);
        break;
    case MD_TEXT_CODE:
        if (b.inCodeBlock) b.addRaw(t, kCode);
        else b.add(t);
        break;
    default: b.add(t); break;
    }
    return 0;
}

}  // namespace

std::string_view checkpointTarget(std::string_view href) {
    if (href.starts_with("checkpoint:")) return href.substr(11);
    auto hash = href.find(".yaml#");
    if (hash != std::string_view::npos) return href.substr(hash + 6);
    return {};
}

std::string_view checkpointScenario(std::string_view href) {
    auto hash = href.find(".yaml#");
    if (hash == std::string_view::npos) return {};
    std::string_view file = href.substr(0, hash + 5);
    auto slash = file.find_last_of('/');
    return slash == std::string_view::npos ? file : file.substr(slash + 1);
}

std::string cellText(const std::vector<LessonSpan>& cell) {
    std::string out;
    for (const auto& s : cell) out += s.text;
    return out;
}

std::string Lesson::allText() const {
    std::string out;
    for (const auto& b : blocks) {
        out += b.marker;
        for (const auto& s : b.spans) out += s.text;
        for (const auto& row : b.rows)
            for (const auto& cell : row.cells) out += cellText(cell);
    }
    return out;
}

Lesson parseLesson(std::string_view markdown) {
    Builder b;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS | MD_FLAG_TABLES;
    parser.enter_block = enterBlock;
    parser.leave_block = leaveBlock;
    parser.enter_span = enterSpan;
    parser.leave_span = leaveSpan;
    parser.text = onText;
    if (md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &b) != 0)
        b.lesson.error = "the Markdown parser gave up on this file";
    // Blocks that ended up without text (e.g. a list item holding only a nested list) are dropped.
    std::erase_if(b.lesson.blocks, [](const LessonBlock& blk) {
        return blk.kind != BlockKind::Rule && blk.kind != BlockKind::Table && blk.spans.empty();
    });
    static std::uint64_t parsed = 0;  // the GUI thread only
    b.lesson.generation = ++parsed;
    return std::move(b.lesson);
}

Lesson loadLesson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Lesson l;
        l.path = path;
        l.error = "cannot read " + path;
        return l;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    Lesson l = parseLesson(ss.str());
    l.path = path;
    return l;
}

std::string lessonPath(const std::string& scenarioFile, const std::string& lesson, Language language) {
    if (lesson.empty()) return {};
    namespace fs = std::filesystem;
    fs::path p = fs::path(lesson).is_absolute() ? fs::path(lesson) : fs::path(scenarioFile).parent_path() / lesson;
    fs::path dir = p.parent_path();
    const std::string want = language == Language::Chinese ? "zh" : "en";
    const std::string name = dir.filename().string();
    if (name == "en" || name == "zh") p = dir.parent_path() / want / p.filename();
    return p.lexically_normal().string();
}

}  // namespace mailsim::gui
