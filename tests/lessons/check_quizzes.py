#!/usr/bin/env python3
"""Every lesson ends with a short quiz, in both languages, and its SMTP answers use only real reply codes.

usage: check_quizzes.py SOURCE_DIR

Checks, for lessons/en/*.md and lessons/zh/*.md:
- every English lesson has a Chinese one with the same file name, and vice versa;
- each file has exactly one quiz heading (`## Quiz` in en, `## 小测验` in zh), and no `## ` section after it;
- the quiz holds 3-5 numbered questions (1., 2., ... at the start of a line, in order), then exactly one answers
  heading (`### Answers` / `### 答案`) with a numbered list of as many answers;
- both languages of a lesson have the same number of questions;
- every reply code (a 3-digit number 2xx-5xx) in an SMTP answer (any answer of an smtp-* or relay-* lesson, and any
  answer that mentions SMTP) is a code of the reply table in engine/smtp/SmtpReplies.cpp. Numbers written right
  after "port", "端口" or "RFC", or right before "端口" ("587 端口", "25 号端口"), are port and RFC numbers, not codes.
Exits 1 with one line per problem, naming the file.
"""
import os
import re
import sys

HEADINGS = {
    "en": ("## Quiz", "### Answers"),
    "zh": ("## 小测验", "### 答案"),
}
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
NUMBERED = re.compile(r"^(\d+)\.\s+\S")
CODE = re.compile(r"(?<![0-9A-Za-z.])([2-5][0-9]{2})(?![0-9A-Za-z]|\.[0-9])")
NOT_A_CODE_BEFORE = re.compile(r"(?:\bports?|端口|\bRFC)\s*[`*]*$", re.IGNORECASE)
NOT_A_CODE_AFTER = re.compile(r"^[`*]*\s*号?\s*端口")
# Table entries of SmtpReplies.cpp: `{R::Greeting, 220, ...` and `{211, "System status...`.
TABLE_CODE = re.compile(r"[{,]\s*([2-5][0-9]{2})\s*,")


def smtp_codes(src):
    path = os.path.join(src, "engine", "smtp", "SmtpReplies.cpp")
    with open(path, encoding="utf-8") as f:
        codes = set(TABLE_CODE.findall(f.read()))
    if not codes:
        sys.exit(f"FAIL: no reply codes found in {path} (has the table changed its form?)")
    return codes


def strip_code_blocks(lines):
    """The lines with fenced code blocks blanked, so that a `## ` or `1. ` inside one is not taken for structure."""
    out, fenced = [], False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else line)
    return out


def numbered_items(lines):
    """Top-level numbered list items: [(number, text with its continuation lines)]."""
    items = []
    for line in lines:
        m = NUMBERED.match(line)
        if m:
            items.append([int(m.group(1)), line])
        elif items and line.strip():
            items[-1][1] += "\n" + line
    return [(n, text) for n, text in items]


def check_numbering(items, what, rel, problems):
    numbers = [n for n, _ in items]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"{rel}: the {what} are numbered {numbers}, expected 1..{len(numbers)} in order")


def check_lesson(path, rel, lang, codes, problems):
    """Checks one file; returns its number of questions (None if the quiz could not be read)."""
    quiz_heading, answers_heading = HEADINGS[lang]
    with open(path, encoding="utf-8") as f:
        lines = strip_code_blocks(f.read().splitlines())
    stripped = [l.rstrip() for l in lines]

    for other, (other_quiz, other_answers) in HEADINGS.items():
        if other != lang and (other_quiz in stripped or other_answers in stripped):
            problems.append(f"{rel}: uses the {other} quiz headings; a {lang} lesson uses "
                            f"'{quiz_heading}' and '{answers_heading}'")

    quiz_at = [i for i, l in enumerate(stripped) if l == quiz_heading]
    if len(quiz_at) != 1:
        problems.append(f"{rel}: expected exactly one '{quiz_heading}' heading, found {len(quiz_at)}"
                        + (" (every lesson ends with a short quiz)" if not quiz_at else ""))
        return None
    start = quiz_at[0]
    later_sections = [l for l in stripped[start + 1:] if l.startswith("## ") or l.startswith("# ")]
    if later_sections:
        problems.append(f"{rel}: the quiz must be the last section, but '{later_sections[0]}' follows it")
        return None

    answers_at = [i for i, l in enumerate(stripped) if l == answers_heading]
    if len(answers_at) != 1 or answers_at[0] < start:
        problems.append(f"{rel}: expected exactly one '{answers_heading}' heading after '{quiz_heading}', "
                        f"found {len([i for i in answers_at if i > start])}")
        return None
    mid = answers_at[0]
    other_sub = [l for l in stripped[start + 1:] if l.startswith("### ") and l != answers_heading]
    if other_sub:
        problems.append(f"{rel}: unexpected heading '{other_sub[0]}' inside the quiz")

    questions = numbered_items(lines[start + 1:mid])
    answers = numbered_items(lines[mid + 1:])
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        problems.append(f"{rel}: '{quiz_heading}' has {len(questions)} numbered questions, "
                        f"expected {MIN_QUESTIONS} to {MAX_QUESTIONS}")
    check_numbering(questions, "questions", rel, problems)
    check_numbering(answers, "answers", rel, problems)
    if len(answers) != len(questions):
        problems.append(f"{rel}: {len(questions)} questions but {len(answers)} numbered answers "
                        f"under '{answers_heading}'")

    smtp_lesson = os.path.basename(path).startswith(("smtp-", "relay-"))
    for n, text in answers:
        if not (smtp_lesson or "SMTP" in text):
            continue
        for m in CODE.finditer(text):
            if NOT_A_CODE_BEFORE.search(text[:m.start()]) or NOT_A_CODE_AFTER.match(text[m.end():]):
                continue
            if m.group(1) not in codes:
                problems.append(f"{rel}: answer {n} mentions SMTP reply code {m.group(1)}, which is not in "
                                f"engine/smtp/SmtpReplies.cpp")
    return len(questions)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    codes = smtp_codes(src)
    problems = []
    names = {}
    for lang in HEADINGS:
        d = os.path.join(src, "lessons", lang)
        names[lang] = {f for f in os.listdir(d) if f.endswith(".md")}
        if not names[lang]:
            problems.append(f"lessons/{lang}: no lessons found")
    for lang, other in (("en", "zh"), ("zh", "en")):
        for name in sorted(names[lang] - names[other]):
            problems.append(f"lessons/{lang}/{name}: no lessons/{other}/{name} (every lesson exists in both languages)")

    counts = {}
    for lang in HEADINGS:
        for name in sorted(names[lang]):
            rel = f"lessons/{lang}/{name}"
            counts[(lang, name)] = check_lesson(os.path.join(src, rel), rel, lang, codes, problems)
    for name in sorted(names["en"] & names["zh"]):
        en, zh = counts[("en", name)], counts[("zh", name)]
        if en is not None and zh is not None and en != zh:
            problems.append(f"lessons/zh/{name}: {zh} questions, but lessons/en/{name} has {en}")

    for p in problems:
        print("FAIL:", p)
    checked = len(names["en"]) + len(names["zh"])
    if problems:
        print(f"{len(problems)} problem(s) in the quizzes of {checked} lesson files")
        return 1
    print(f"OK: {checked} lesson files, each ending with a quiz and its answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
