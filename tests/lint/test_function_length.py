#!/usr/bin/env python3
"""scripts/check-function-length.py: the real tree passes, and a planted tree with a function one line over the
limit fails while one at the limit passes (so the check can fail, and fails at the right line).

    test_function_length.py REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1])
checker = os.path.join(root, "scripts", "check-function-length.py")


def run(tree, *folders):
    p = subprocess.run([sys.executable, checker, "--root", tree, *folders], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def function(name, lines):
    """A C++ function of exactly `lines` lines: signature line, body statements, closing brace."""
    body = [f"    x += {i};" for i in range(lines - 3)]
    return "\n".join([f"int {name}(int x) {{"] + body + ["    return x;", "}"]) + "\n"


failures = []
code, out = run(root)
if code != 0:
    failures.append("the repository itself has functions over the limit:\n" + out)

with tempfile.TemporaryDirectory() as tree:
    os.makedirs(os.path.join(tree, "engine", "smtp"))
    os.makedirs(os.path.join(tree, "sim", "world"))
    with open(os.path.join(tree, "engine", "smtp", "Ok.cpp"), "w") as f:
        f.write("// at the limit\n" + function("atLimit", 100))
    with open(os.path.join(tree, "sim", "world", "Long.hpp"), "w") as f:
        f.write("#pragma once\nstruct S {\n" + function("inClassTooLong", 101).replace("\n", "\n    ") + "};\n")
    code, out = run(tree, "engine")
    if code != 0:
        failures.append(f"a 100-line function was refused (exit {code}):\n{out}")
    code, out = run(tree, "engine", "sim")
    if code != 1 or "sim/world/Long.hpp:3: inClassTooLong is 101 lines" not in out or "atLimit" in out:
        failures.append(f"a 101-line member function in a header was not reported as expected (exit {code}):\n{out}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
