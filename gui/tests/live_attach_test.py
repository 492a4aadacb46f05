"""End to end (issue #8): `mailsim serve --trace-out FILE` with real smtplib clients, the JSON Lines checked, then
`mailsim-gui --attach FILE --screenshot PNG --cursor end` under xvfb-run, and the PNG checked for the panels' colours.

Then `mailsim-gui --serve` with a client that arrives while it renders (the trace grows, the cursor follows, the
server is stopped when the GUI exits).

usage: live_attach_test.py MAILSIM MAILSIM_GUI SHOTCHECK XVFB_RUN OUT.png SOURCE_DIR

Two sessions: one plain (EHLO, MAIL, RCPT, DATA, QUIT) and one that upgrades with STARTTLS, logs in (AUTH PLAIN under
TLS) and sends again. The trace file must hold one JSON object per line with ids 0..n-1 across both connections, each
session described on its first event, TLS records with their bytes in hex and the protected lines marked tls.
"""
import json
import shutil
import os
import smtplib
import ssl
import subprocess
import sys
import time

MAILSIM, GUI, SHOTCHECK, XVFB, PNG, SOURCE = sys.argv[1:7]
sys.path.insert(0, os.path.join(SOURCE, "tests", "interop"))
from mailsim_server import MailsimServer  # noqa: E402

MESSAGE = b"From: Mike <mike@cesoo.com>\r\nTo: Rose <rose@cesoo.com>\r\nSubject: live\r\n\r\nHello Rose, live.\r\n"


def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data.endswith(b"\n"), "the trace file ends with a complete line"
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def wait_for_closes(path, count, deadline=20.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if os.path.exists(path):
            with open(path, "rb") as f:
                if f.read().count(b'"connection-closed"') >= count:
                    return
        time.sleep(0.05)
    raise AssertionError(f"{count} connection-closed events not in {path} within {deadline}s")


def main():
    srv = MailsimServer(MAILSIM, listeners=[("submission", "127.0.0.1:0")])
    trace = os.path.join(srv.dir, "trace.jsonl")
    srv.extra_args = ["--trace-out", trace]
    with srv:
        with smtplib.SMTP(srv.host, srv.port, timeout=20) as s:
            s.ehlo("student-pc")
            assert s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE) == {}
        ca = os.path.join(srv.dir, "ca.pem")
        r = subprocess.run([MAILSIM, "ca", "export", ca, "--dir", srv.ca_dir], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        with smtplib.SMTP(srv.host, srv.ports["submission"], timeout=20) as s:
            s.ehlo("student-pc")
            s.starttls(context=ssl.create_default_context(cafile=ca))
            s.ehlo("student-pc")
            s.login("mike", "mike123")
            assert s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE) == {}
        wait_for_closes(trace, 2)
        assert srv.terminate() == 0, srv.stderr()

        events = read_lines(trace)
        assert [e["id"] for e in events] == list(range(len(events))), "global ids 0..n-1"
        described = [e for e in events if "session_info" in e]
        assert [e["session"] for e in described] == [1, 2], described
        assert described[0]["session_info"]["protocol"] == "smtp"
        assert described[0]["session_info"]["client_endpoint"]["address"] == "127.0.0.1"
        for e in events:
            assert e["session"] in (1, 2), e
            first = next(d for d in events if d["session"] == e["session"])
            assert "session_info" in first, "a session is described on its first event"
        assert any(e["kind"] == "tls-records" and e.get("raw_hex", "").startswith("16") for e in events), \
            "the TLS handshake records, in hex"
        auth = [e for e in events if e["kind"] == "line" and e["text"].startswith("AUTH")]
        assert auth and all(e.get("tls") for e in auth), auth
        assert any(e["kind"] == "line" and e["text"].startswith("250") and not e.get("tls") for e in events)
        causes = [e for e in events if e.get("cause") is not None]
        assert causes and all(0 <= e["cause"] < e["id"] for e in causes), "causes point back, globally"

        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        r = subprocess.run([XVFB, "-a", GUI, "--attach", trace, "--screenshot", PNG, "--cursor", "end", "--frames", "6",
                            "--size", "1280x800", "--show", "sequence"],
                           capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
        # Both sessions' arrows (client and server colours), the TLS tags, the red LIVE title.
        r = subprocess.run([SHOTCHECK, PNG, "1280", "800", "client>=300", "server>=300", "tls>=100", "error>=60"],
                           capture_output=True, text=True, timeout=60)
        print(r.stdout, r.stderr)
        assert r.returncode == 0, "the screenshot lacks the live sessions"
    print("live attach: ok")
    serve_phase()


def serve_phase():
    """mailsim-gui --serve: the GUI starts the server itself, a client arrives while it renders, the server stops
    with the GUI."""
    out_dir = os.path.dirname(os.path.abspath(PNG))
    png = os.path.join(out_dir, "gui-live-serve.png")
    err_path = os.path.join(out_dir, "gui-live-serve.err")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    with open(err_path, "wb") as err:
        gui = subprocess.Popen([XVFB, "-a", GUI, "--serve", "--screenshot", png, "--screenshot-delay", "8", "--cursor",
                                "end", "--show", "transcript", "--", "--smtp", "127.0.0.1:0", "--no-tls"],
                               stdout=subprocess.DEVNULL, stderr=err, env=env)
    try:
        serve_dir, port = None, None
        end = time.monotonic() + 30
        while time.monotonic() < end and port is None:
            with open(err_path, "r", errors="replace") as f:
                text = f.read()
            if " in /" in text and serve_dir is None:
                serve_dir = text.split(" in ", 1)[1].split(" ", 1)[0]
            # The server's machine channel (--ready-file, written whole once it listens), not its log's lines.
            if serve_dir and os.path.exists(os.path.join(serve_dir, "ready.json")):
                with open(os.path.join(serve_dir, "ready.json")) as f:
                    ready = json.load(f)
                port = next(l["port"] for l in ready["listeners"] if l["service"] == "smtp")
            time.sleep(0.05)
        assert port, f"the GUI's server did not start: {text!r}"
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
            s.ehlo("student-pc")
            assert s.sendmail("mike@cesoo.com", ["rose@cesoo.com"], MESSAGE) == {}
        rc = gui.wait(timeout=120)
        assert rc == 0, rc
    finally:
        if gui.poll() is None:
            gui.kill()
    with open(os.path.join(serve_dir, "serve.log")) as f:
        log = f.read()
    assert "SIGTERM received" in log, "the GUI stops its server when it exits: " + log[-500:]
    r = subprocess.run([SHOTCHECK, png, "1280", "800", "client>=300", "server>=300", "error>=60"],
                       capture_output=True, text=True, timeout=60)
    print(r.stdout, r.stderr)
    assert r.returncode == 0, "the screenshot lacks the session that arrived while the GUI ran"
    shutil.rmtree(serve_dir, ignore_errors=True)
    print("live serve: ok")


if __name__ == "__main__":
    main()
