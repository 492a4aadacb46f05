"""The MDA fetchmail runs per message in clients_test.py: the message on stdin goes to a new file in DIR."""
import os
import sys
import tempfile

fd, _ = tempfile.mkstemp(dir=sys.argv[1], prefix="msg-")
with os.fdopen(fd, "wb") as out:
    out.write(sys.stdin.buffer.read())
