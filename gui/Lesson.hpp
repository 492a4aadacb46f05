// A lesson (Markdown, lessons/en|zh/NAME.md) parsed with md4c into a flat list of blocks with styled spans, which
// the lesson panel lays out and draws. Parsing happens on load, never per frame; no ImGui here.
//
// Contract
// - Supported: headings, paragraphs, bullet and numbered lists (nested), code spans and fenced/indented code
//   blocks, emphasis and strong emphasis, links (their text), block quotes, thematic breaks, pipe tables (GitHub
//   style: a Table block holds its rows, the header row first, each row the same number of cells). Raw HTML is
//   dropped.
// - A soft line break becomes a space, except between two CJK characters (Chinese does not put spaces there).
// - Language: lessons live in lessons/en/ and lessons/zh/ under the same file name; lessonPath() swaps the
//   language directory of the scenario's `lesson` path.
// - A link `[text](checkpoint:NAME)` (or `[text](scenario.yaml#NAME)`) points at the scenario's `- checkpoint: NAME`
//   step; the lesson panel draws it as a button that moves the cursor there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::gui {

enum SpanStyle : std::uint8_t { kPlain = 0, kEmphasis = 1, kStrong = 2, kCode = 4, kLink = 8 };

struct LessonSpan {
    std::string text;
    std::uint8_t style = kPlain;
    std::string href;  // a link's target ("" when not a link)
};

// The checkpoint a lesson link points at: "checkpoint:NAME" or "FILE.yaml#NAME" give NAME; anything else "".
std::string_view checkpointTarget(std::string_view href);
// The scenario file a checkpoint link names ("relay-two-domains.yaml" for "relay-two-domains.yaml#relayed"); "" for
// "checkpoint:NAME" (the scenario that is open) and for other links.
std::string_view checkpointScenario(std::string_view href);

enum class BlockKind : std::uint8_t { Heading, Paragraph, ListItem, Code, Quote, Rule, Table };

enum class CellAlign : std::uint8_t { Default, Left, Center, Right };

struct LessonTableRow {
    bool header = false;                          // a row of the table's head (drawn bold)
    std::vector<std::vector<LessonSpan>> cells;   // one span list per column
};

struct LessonBlock {
    BlockKind kind = BlockKind::Paragraph;
    int level = 0;          // heading level 1-6, or list nesting depth (1 = top) for items and their paragraphs
    std::string marker;     // "•" or "3." for list items
    std::vector<LessonSpan> spans;
    // Table only: the column count, each column's alignment, and the rows (head rows first).
    int columns = 0;
    std::vector<CellAlign> align;
    std::vector<LessonTableRow> rows;
};

// A table cell's text, its spans joined (for measuring and wrapping).
std::string cellText(const std::vector<LessonSpan>& cell);

struct Lesson {
    std::string path;                 // the file it came from ("" when none)
    std::vector<LessonBlock> blocks;
    std::string error;                // why it could not be read or parsed ("" when fine)
    std::uint64_t generation = 0;     // new for every parse: views that point into the spans re-lay out on change
    bool empty() const { return blocks.empty(); }
    std::string allText() const;      // every character, for the font atlas
};

Lesson parseLesson(std::string_view markdown);
Lesson loadLesson(const std::string& path);

enum class Language : std::uint8_t { English, Chinese };
// The lesson file for `language`: `lesson` is relative to the scenario file's directory; its ".../en/..." or
// ".../zh/..." directory is swapped for the requested one. "" when the scenario has no lesson.
std::string lessonPath(const std::string& scenarioFile, const std::string& lesson, Language language);

}  // namespace mailsim::gui
