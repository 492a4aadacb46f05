#!/usr/bin/env python3
"""Every concept of the course is taught by a scenario and a lesson, in English and in Chinese.

lessons/curriculum-map.yaml maps each concept group of the curriculum (the "## " headings of CURRICULUM.md) to
concepts, and each concept to the scenarios (scenarios/NAME.yaml) and lessons (lessons/en/NAME.md and
lessons/zh/NAME.md) that teach it. This test checks:
1. every scenario and lesson named exists, each lesson in both languages;
2. every group has at least one concept, each with at least one scenario and one lesson;
3. every "## " heading of CURRICULUM.md is a group of the map, with at least as many concepts as the heading has
   bullet points; CURRICULUM.md is looked for at $MAILSIM_CURRICULUM, then ../shared/CURRICULUM.md next to the
   source tree (it is the project's brief, kept outside the repository). Without it, 3 is skipped with a notice;
4. every shipped scenario and every lesson is named somewhere in the map (nothing taught goes unmapped).

Usage: curriculum_test.py SOURCE_DIR
"""
import os
import pathlib
import re
import sys

import yaml


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[1]).resolve()
    doc = yaml.safe_load((root / "lessons" / "curriculum-map.yaml").read_text(encoding="utf-8"))
    failures = []
    groups = doc.get("groups") or {}
    named_scenarios, named_lessons = set(), set()
    for group, concepts in groups.items():
        if not concepts:
            failures.append(f"group '{group}' has no concept")
            continue
        for c in concepts:
            name = c.get("concept", "?")
            scenarios, lessons = c.get("scenarios") or [], c.get("lessons") or []
            if not scenarios:
                failures.append(f"'{name}' ({group}) names no scenario")
            if not lessons:
                failures.append(f"'{name}' ({group}) names no lesson")
            for s in scenarios:
                named_scenarios.add(s)
                if not (root / "scenarios" / s).is_file():
                    failures.append(f"'{name}': scenario scenarios/{s} does not exist")
            for lesson in lessons:
                named_lessons.add(lesson)
                for lang in ("en", "zh"):
                    if not (root / "lessons" / lang / lesson).is_file():
                        failures.append(f"'{name}': lesson lessons/{lang}/{lesson} does not exist")

    for path in sorted((root / "scenarios").glob("*.yaml")):
        if path.name not in named_scenarios:
            failures.append(f"scenarios/{path.name} is not in lessons/curriculum-map.yaml")
    for path in sorted((root / "lessons" / "en").glob("*.md")):
        if path.name not in named_lessons:
            failures.append(f"lessons/en/{path.name} is not in lessons/curriculum-map.yaml")

    curriculum = pathlib.Path(os.environ.get("MAILSIM_CURRICULUM", root.parent / "shared" / "CURRICULUM.md"))
    if curriculum.is_file():
        heading, bullets = None, {}
        for line in curriculum.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^## (.+?)\s*$", line):
                heading = m.group(1)
                bullets[heading] = 0
            elif heading and line.startswith("- "):
                bullets[heading] += 1
        for heading, count in bullets.items():
            concepts = groups.get(heading)
            if not concepts:
                failures.append(f"CURRICULUM.md group '{heading}' is not mapped in lessons/curriculum-map.yaml")
            elif len(concepts) < max(count, 1):
                failures.append(f"CURRICULUM.md group '{heading}' has {count} bullet points but the map only "
                                f"{len(concepts)} concepts")
        print(f"{len(bullets)} groups of {curriculum} checked against the map")
    else:
        print(f"notice: {curriculum} not found; the map is checked on its own")

    for f in failures:
        print("FAIL:", f)
    print(f"{sum(len(c or []) for c in groups.values())} concepts in {len(groups)} groups; {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
