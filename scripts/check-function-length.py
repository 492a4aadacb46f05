#!/usr/bin/env python3
"""Fails when a C++ function definition is longer than the project allows (the developers' guide: "functions under
~100 lines"; issue #13).

    scripts/check-function-length.py [--root DIR] [--limit N] [FOLDER ...]

Function definitions are found by Universal Ctags (Debian package `universal-ctags`, installed by
scripts/install-deps.sh): kind `f` (function definitions, member functions defined in or out of a class), with their
first and last line. A function's length is last - first + 1, its signature and closing brace included. Lambdas and
Catch2 TEST_CASE bodies are not functions to ctags and are not measured. FOLDERs default to the code of every layer
plus tests and benches: engine sim gui web tests bench.

Exit status 0 when every function fits, 1 otherwise (each offence printed as `file:line: NAME is N lines; ...`),
2 when ctags is missing or is not Universal Ctags.
"""
import argparse
import os
import shutil
import subprocess
import sys

DEFAULT_FOLDERS = ["engine", "sim", "gui", "web", "tests", "bench"]
SKIP_PARTS = {"build", "third_party", "node_modules"}


def find_ctags():
    for name in ("ctags-universal", "universal-ctags", "ctags"):
        path = shutil.which(name)
        if path:
            out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
            if "Universal Ctags" in out:
                return path
    return None


def functions(ctags, root, folders):
    """(file, first line, last line, name) of every function definition under the folders."""
    existing = [f for f in folders if os.path.isdir(os.path.join(root, f))]
    if not existing:
        return []
    cmd = [ctags, "-R", "--languages=C++", "--map-C++=+.hpp", "--kinds-C++=f", "--fields=+ne", "-x",
           "--_xformat=%{line}\t%{end}\t%{name}\t%{input}"]
    # ctags follows the build trees inside the folders too (web/build-*, ...): exclude them by name.
    cmd += [f"--exclude={p}" for p in ("build*", "*.build", "node_modules")]
    out = subprocess.run(cmd + existing, cwd=root, capture_output=True, text=True, check=True).stdout
    result = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
            continue  # a definition without an end line (a macro-made one): nothing to measure
        first, last, name, path = int(parts[0]), int(parts[1]), parts[2], parts[3]
        if SKIP_PARTS & set(path.split(os.sep)):
            continue
        result.append((path, first, last, name))
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--limit", type=int, default=100, help="the most lines a function may have (100)")
    ap.add_argument("folders", nargs="*", default=DEFAULT_FOLDERS)
    args = ap.parse_args()
    ctags = find_ctags()
    if not ctags:
        print("check-function-length: Universal Ctags not found; expected the Debian package universal-ctags "
              "(scripts/install-deps.sh installs it)", file=sys.stderr)
        return 2
    found = functions(ctags, os.path.abspath(args.root), args.folders)
    long = sorted((f for f in found if f[2] - f[1] + 1 > args.limit), key=lambda f: (f[0], f[1]))
    for path, first, last, name in long:
        print(f"{path}:{first}: {name} is {last - first + 1} lines; expected at most {args.limit}: split it into "
              f"functions that each do one thing")
    if not long:
        print(f"check-function-length: {len(found)} functions, none over {args.limit} lines")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
