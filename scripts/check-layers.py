#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own (docs/architecture.md, "Layers").

    scripts/check-layers.py [--root DIR] [--stamp FILE]

The layers, bottom to top (a layer may include its own headers and those of the layers it lists):

    engine          the sans-I/O protocol engines, trace, MIME, i18n        (includes: engine/ only)
    sim/store       the Maildir store (include root sim/store: "maildir/...") (engine)
    sim/tls         server-session interface, TLS over memory BIOs, CA      (engine, sim/store)
    sim/net         simulated clock and virtual network                     (engine)
    sim/scenario    scenario model and YAML loader                          (engine, sim/net)
    sim/world       the simulated world and the sim API                     (engine, sim/store, sim/tls, sim/net, sim/scenario)
    sim/tools       transcript, export, predict, sandbox, record, JSON      (... + sim/world)
    sim/serve       the real-socket server                                  (... + sim/tools)
    sim/cli         the `mailsim` subcommands                               (... + sim/serve)
    gui             the GUI and its model: the world and its tools, never sim/serve or sim/cli
    web             the browser build: as gui, plus gui itself
    tests, bench    anything

Quoted includes are resolved the way the build resolves them: next to the including file, then the include roots of
the libraries (engine/, sim/store/, the repository root, gui/). Angle-bracket includes are system or third-party headers
and are not checked. An include that resolves to no file is reported too (a typo, or a header in a layer the file's
library cannot see). Exit status 0 when every include goes down or sideways, 1 otherwise (each offence printed as
`file:line: ...` with what was expected).
"""
import argparse
import os
import re
import sys

LAYERS = {
    "engine": {"engine"},
    "sim/store": {"engine", "sim/store"},
    "sim/tls": {"engine", "sim/store", "sim/tls"},
    "sim/net": {"engine", "sim/net"},
    "sim/scenario": {"engine", "sim/net", "sim/scenario"},
    "sim/world": {"engine", "sim/store", "sim/tls", "sim/net", "sim/scenario", "sim/world"},
}
LAYERS["sim/tools"] = LAYERS["sim/world"] | {"sim/tools"}
LAYERS["sim/serve"] = LAYERS["sim/tools"] | {"sim/serve"}
LAYERS["sim/cli"] = LAYERS["sim/serve"] | {"sim/cli"}
LAYERS["gui"] = LAYERS["sim/tools"] | {"gui"}
LAYERS["web"] = LAYERS["gui"] | {"web"}
ORDER = ["engine", "sim/store", "sim/tls", "sim/net", "sim/scenario", "sim/world", "sim/tools", "sim/serve", "sim/cli",
         "gui", "web"]
UNCHECKED = ("tests/", "bench/")  # test and bench code may reach any layer
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE = (".cpp", ".hpp", ".h", ".cc")


def layer_of(rel):
    """The layer a repository-relative path belongs to, or None (tests, bench, build trees, unknown folders)."""
    rel = rel.replace(os.sep, "/")
    if rel.startswith(UNCHECKED):
        return None
    for name in sorted(LAYERS, key=len, reverse=True):
        if rel.startswith(name + "/"):
            return name
    return None


def resolve(root, including, header):
    """The repository-relative path `#include "header"` in `including` reads, or None."""
    candidates = [os.path.join(os.path.dirname(including), header)]
    candidates += [os.path.join(r, header) for r in ("engine", "sim/store", "", "gui")]
    for c in candidates:
        full = os.path.normpath(os.path.join(root, c))
        if os.path.isfile(full):
            return os.path.relpath(full, root).replace(os.sep, "/")
    return None


def check(root):
    problems = []
    for top in ("engine", "sim", "gui", "web"):
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(("build", "."))]
            for name in sorted(filenames):
                if not name.endswith(SOURCE):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                mine = layer_of(path)
                if mine is None:
                    continue
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = resolve(root, path, m.group(1))
                        if target is None:
                            # web/compat and generated headers live outside the tree; only flag sim/ and gui/ paths
                            if m.group(1).startswith(("sim/", "gui/")):
                                problems.append(f"{path}:{lineno}: #include \"{m.group(1)}\" names no file in the tree")
                            continue
                        theirs = layer_of(target)
                        if theirs is None or theirs in LAYERS[mine]:
                            continue
                        allowed = ", ".join(l for l in ORDER if l in LAYERS[mine])
                        problems.append(f"{path}:{lineno}: {mine} includes \"{m.group(1)}\" ({target}, layer {theirs}), "
                                        f"a layer above it or beside it; {mine} may include only: {allowed}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--stamp", help="touch this file when the check passes (for the build's custom command)")
    args = ap.parse_args()
    problems = check(os.path.abspath(args.root))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-layers: {len(problems)} include(s) go the wrong way (see docs/architecture.md, \"Layers\")",
              file=sys.stderr)
        return 1
    if args.stamp:
        with open(args.stamp, "w") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
