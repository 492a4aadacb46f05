#!/usr/bin/env python3
"""The Chinese lessons use the glossary's preferred terms (issue #14).

usage: check_glossary.py SOURCE_DIR

Reads lessons/glossary.md: in each table row, the words of the column "not" (separated by "、" or ",") are flagged
when they appear in a lessons/zh/*.md file outside code (inline `code` and fenced blocks are wire text and are
skipped). "客户" is flagged only when it is not part of "客户端". Straight double quotes outside code are flagged too
(Chinese text quotes with “ ”). The Chinese strings of gui/Strings.cpp and sim/cli/CliText.cpp are checked for the
flagged terms too. Exits 1 with one line per problem: file:line: word (write: preferred).
"""
import os
import re
import sys


def glossary(src):
    path = os.path.join(src, "lessons", "glossary.md")
    flagged = {}
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            if not line.startswith("|"):
                header = None
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
                continue
            if set("".join(cells)) <= set("-: "):
                continue
            row = dict(zip(header, cells))
            preferred = row.get("中文（用这个）") or row.get("write instead") or ""
            for word in re.split(r"[、,]", row.get("not", "")):
                word = word.strip()
                if word:
                    flagged[word] = preferred
    if not flagged:
        sys.exit(f"FAIL: no flagged terms found in {path} (has the table changed its form?)")
    return flagged


def prose_lines(text):
    """(line number, text without inline code) for lines outside fenced code blocks."""
    fenced = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield n, re.sub(r"`[^`]*`", "", line)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    flagged = glossary(src)
    problems = []
    zh_dir = os.path.join(src, "lessons", "zh")
    files = sorted(f for f in os.listdir(zh_dir) if f.endswith(".md"))
    for name in files:
        with open(os.path.join(zh_dir, name), encoding="utf-8") as f:
            text = f.read()
        for n, line in prose_lines(text):
            for word, preferred in flagged.items():
                pattern = re.escape(word) + (r"(?!端)" if word == "客户" else "")
                if re.search(pattern, line):
                    problems.append(f"lessons/zh/{name}:{n}: {word} (write: {preferred})")
            if '"' in line:
                problems.append(f'lessons/zh/{name}:{n}: straight quotes " in Chinese text (write: “ ”)')
    # The UI's and the CLI's Chinese strings (gui/Strings.cpp, sim/cli/CliText.cpp) use the same terms.
    for rel in ("gui/Strings.cpp", "sim/cli/CliText.cpp"):
        path = os.path.join(src, rel)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', line):
                    if not re.search(r"[\u4e00-\u9fff]", lit):
                        continue
                    for word, preferred in flagged.items():
                        pattern = re.escape(word) + (r"(?!端)" if word == "客户" else "")
                        if re.search(pattern, lit):
                            problems.append(f"{rel}:{n}: {word} (write: {preferred})")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(files)} Chinese lessons use the glossary's terms ({len(flagged)} non-preferred variants checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
