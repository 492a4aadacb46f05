#!/usr/bin/env python3
"""scripts/check-layers.py: the real tree passes, and each kind of wrong-way include in a small planted tree fails.

    test_check_layers.py REPO_ROOT
"""
import os
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1])
checker = os.path.join(root, "scripts", "check-layers.py")


def run(tree):
    p = subprocess.run([sys.executable, checker, "--root", tree], capture_output=True, text=True)
    return p.returncode, p.stderr


failures = []
code, err = run(root)
if code != 0:
    failures.append("the repository itself has wrong-way includes:\n" + err)

# A planted tree: one header per layer, then one including file per case.
HEADERS = ["engine/trace/Trace.hpp", "sim/store/maildir/MaildirStore.hpp", "sim/tls/Tls.hpp", "sim/net/Scheduler.hpp",
           "sim/scenario/Scenario.hpp", "sim/world/Api.hpp", "sim/tools/Transcript.hpp", "sim/serve/ServeLoop.hpp",
           "sim/cli/Cli.hpp", "gui/Theme.hpp"]
CASES = [  # (file, include, must fail)
    ("engine/smtp/Session.cpp", "maildir/MaildirStore.hpp", True),    # engine reaching the store
    ("engine/smtp/Session.cpp", "trace/Trace.hpp", False),
    ("sim/store/maildir/X.cpp", "trace/Trace.hpp", False),
    ("sim/store/maildir/X.cpp", "sim/net/Scheduler.hpp", True),
    ("sim/net/X.cpp", "sim/world/Api.hpp", True),                      # the network reaching the world
    ("sim/net/X.cpp", "sim/tls/Tls.hpp", True),                        # beside it, not below
    ("sim/scenario/X.cpp", "sim/net/Scheduler.hpp", False),
    ("sim/world/X.cpp", "sim/tools/Transcript.hpp", True),
    ("sim/tools/X.cpp", "sim/cli/Cli.hpp", True),
    ("sim/tools/X.cpp", "sim/world/Api.hpp", False),
    ("sim/serve/X.cpp", "sim/tools/Transcript.hpp", False),
    ("sim/cli/X.cpp", "sim/serve/ServeLoop.hpp", False),
    ("gui/X.cpp", "sim/serve/ServeLoop.hpp", True),                    # the GUI reaching the socket server
    ("gui/X.cpp", "sim/cli/Cli.hpp", True),
    ("gui/X.cpp", "sim/tools/Transcript.hpp", False),
    ("gui/X.cpp", "Theme.hpp", False),
    ("sim/world/X.cpp", "sim/world/Nowhere.hpp", True),                # names no file
    ("tests/X.cpp", "sim/cli/Cli.hpp", False),                         # tests may reach anything
]
for path, include, must_fail in CASES:
    with tempfile.TemporaryDirectory() as tree:
        for h in HEADERS:
            os.makedirs(os.path.join(tree, os.path.dirname(h)), exist_ok=True)
            open(os.path.join(tree, h), "w").write("#pragma once\n")
        os.makedirs(os.path.join(tree, os.path.dirname(path)), exist_ok=True)
        open(os.path.join(tree, path), "w").write(f'// planted\n#include <string>\n#include "{include}"\n')
        code, err = run(tree)
        if must_fail and (code == 0 or f"{path}:3:" not in err):
            failures.append(f"{path} including \"{include}\" was not reported (exit {code}): {err}")
        if not must_fail and code != 0:
            failures.append(f"{path} including \"{include}\" was reported but is allowed: {err}")

for f in failures:
    print("FAIL:", f)
print(f"{len(CASES) + 1 - len(failures)}/{len(CASES) + 1} layer checks behaved")
sys.exit(1 if failures else 0)
