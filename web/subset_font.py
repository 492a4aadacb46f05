#!/usr/bin/python3
"""Cuts WenQuanYi Micro Hei down for the page (issue #15).

usage: subset_font.py FONT.ttc OUT.ttc DIR...

Keeps, in both faces of the collection (0: the UI face, 1: the monospaced face gui/Fonts.cpp uses for transcripts),
printable ASCII and Latin-1, the punctuation the panels draw, every non-ASCII character found in the text files under
the DIRs (UI strings, catalogues, lessons, scenarios), and GB2312 level 1 (the 3755 most common hanzi) so text a
student types into the sandbox or an edited scenario still shows. Needs python3-fonttools.
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

TEXT_SUFFIXES = (".cpp", ".hpp", ".md", ".yaml", ".yml", ".txt")


def used_characters(dirs):
    chars = set()
    for top in dirs:
        for root, _, files in os.walk(top):
            for name in files:
                if not name.endswith(TEXT_SUFFIXES):
                    continue
                with open(os.path.join(root, name), encoding="utf-8", errors="ignore") as f:
                    chars.update(c for c in f.read() if ord(c) >= 0x80)
    return chars


def gb2312_level1():
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # D7FA-D7FE are unassigned
    return chars


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    source, out, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    chars = set(chr(c) for c in range(0x20, 0x7F)) | set(chr(c) for c in range(0xA0, 0x100))
    chars |= set("→←…·“”‘’—–•✓✗×")
    chars |= used_characters(dirs)
    chars |= gb2312_level1()
    unicodes = sorted(ord(c) for c in chars)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # ImGui rasterises without hints; halves the size
    fonts = []
    for number in (0, 1):
        font = TTFont(source, fontNumber=number, lazy=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        fonts.append(font)
    collection = TTCollection()
    collection.fonts = fonts
    tmp = out + ".tmp"
    collection.save(tmp, shareTables=True)
    os.replace(tmp, out)
    print(f"subset_font: {len(unicodes)} characters, {os.path.getsize(out) // 1024} KiB -> {out}")


if __name__ == "__main__":
    main()
