"""Starts `mailsim serve` on a free loopback port for interop tests, and always stops it.

With `config=` it runs `mailsim serve --config SCENARIO --port-offset N` instead (a whole scenario network); the
listeners land in `self.endpoints[(host, service)] = (address, port)`, and `restart()` stops and starts the same
network over the same Maildir (to see what survives).

The server's stdout (the live trace) and stderr go to files in a private temporary directory, never to a pipe the
test would have to drain (a full pipe would block the server). The ports come from the server's machine channel,
`--ready-file` (sim/tools/ServeReady.hpp: one JSON document that appears whole once every listener is bound), polled
with a deadline; the human `listening` lines are in the server's language and never parsed. Every wait in here is
bounded.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

START_DEADLINE = 20.0  # seconds (ASan builds start slowly)


class MailsimServer:
    def __init__(self, binary, extra_args=(), listen="127.0.0.1:0", pop3=None, imap=None, listeners=(),
                 config=None, port_offset=None, expected_listeners=None):
        self.binary = binary
        self.config = config  # a scenario file: `serve --config` mode
        self.port_offset = port_offset
        self.expected_listeners = expected_listeners  # --config: how many listeners the ready file must list
        self.endpoints = {}
        self.runs = 0
        self.listen = listen
        self.pop3_listen = pop3  # e.g. "127.0.0.1:0": also serve POP3 from the same process and store
        self.pop3_port = None
        self.imap_listen = imap  # e.g. "127.0.0.1:0": also serve IMAP from the same process and store
        self.imap_port = None
        self.extra_args = list(extra_args)
        # More listeners, e.g. [("smtps", "127.0.0.1:0"), ("submission", "127.0.0.1:0")]; their ports land in
        # self.ports by name (as are smtp, pop3 and imap).
        self.listeners = list(listeners)
        self.ports = {}
        self.dir = tempfile.mkdtemp(prefix="mailsim-interop-")
        self.ca_dir = os.path.join(self.dir, "ca")  # a private classroom CA: `mailsim ca export --dir` gives its cert
        self.maildir = os.path.join(self.dir, "mail")
        self.out_path = os.path.join(self.dir, "server.out")
        self.err_path = os.path.join(self.dir, "server.err")
        self.ready_path = os.path.join(self.dir, "ready.json")  # --ready-file
        self.ready = None  # its document once the server is ready
        self.proc = None
        self.host = None
        self.port = None

    def __enter__(self):
        if self.proc is None:  # not started yet (a --config test may start it first, to retry another port range)
            self.start()
        return self

    def __exit__(self, *exc):
        self.kill()
        if exc[0] is None:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print(f"server files kept in {self.dir}")
        return False

    def start(self):
        if self.config:
            return self._start_config()
        pop3 = ["--pop3", self.pop3_listen] if self.pop3_listen else []
        pop3 += ["--imap", self.imap_listen] if self.imap_listen else []
        for name, addr in self.listeners:
            pop3 += ["--" + name, addr]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--smtp", self.listen, *pop3, "--maildir", self.maildir, "--ca-dir", self.ca_dir,
                 "--ready-file", self.ready_path, *self.extra_args],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        wanted = 1 + bool(self.pop3_listen) + bool(self.imap_listen) + len(self.listeners)
        listeners = self.wait_ready()
        assert len(listeners) == wanted, f"{len(listeners)} listeners, {wanted} asked for: {self.ready}"
        for l in listeners:
            self.ports[l["service"]] = l["port"]
            if l["service"] == "smtp":
                self.host, self.port = l["address"], l["port"]
            elif l["service"] == "imap":
                self.imap_port = l["port"]
            elif l["service"] == "pop3":
                self.pop3_port = l["port"]

    def wait_ready(self):
        """Waits for the ready file (or the server's exit) and returns its listeners."""
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            if os.path.exists(self.ready_path):  # renamed into place whole: no partial document
                with open(self.ready_path, encoding="utf-8") as f:
                    ready = json.load(f)
                assert ready["format"] == "mailsim-serve-ready" and ready["version"] >= 1, ready
                if ready["pid"] == self.proc.pid:  # not an earlier run's file (serve removes that one at start)
                    self.ready = ready
                    return ready["listeners"]
            if self.proc.poll() is not None:
                raise AssertionError(f"mailsim serve exited with {self.proc.returncode}: {self.stderr()}")
            time.sleep(0.02)
        raise AssertionError(f"no ready file within {START_DEADLINE}s: {self.stdout()!r} {self.stderr()!r}")

    def _start_config(self):
        self.runs += 1
        if self.runs > 1:  # keep the earlier runs' output for the failure message
            os.replace(self.out_path, f"{self.out_path}.{self.runs - 1}")
            os.replace(self.err_path, f"{self.err_path}.{self.runs - 1}")
        args = [self.binary, "serve", "--config", self.config, "--maildir", self.maildir, "--ca-dir", self.ca_dir,
                "--ready-file", self.ready_path]
        if self.port_offset is not None:
            args += ["--port-offset", str(self.port_offset)]
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([*args, *self.extra_args], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        listeners = self.wait_ready()
        if self.expected_listeners:
            assert len(listeners) == self.expected_listeners, f"{self.expected_listeners} listeners expected: {self.ready}"
        self.endpoints = {(l["host"], l["service"]): (l["address"], l["port"]) for l in listeners}

    def restart(self, timeout=20.0):
        """SIGTERM (exit status must be 0), then start again over the same Maildir and ports."""
        rc = self.terminate(timeout)
        assert rc == 0, f"exit status {rc}: {self.stderr()}"
        self.start()

    def stdout(self):
        with open(self.out_path, "r", encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path, "r", encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_stderr(self, text, deadline=10.0):
        return self._wait_for(self.stderr, "stderr", text, deadline)

    def wait_for_stdout(self, text, deadline=10.0):
        """The server's stdout once `text` is in it. serve flushes stdout once per loop iteration, after the
        iteration's work: what the iteration did to files (a queue file removed, a message delivered) can be seen
        before its log lines are, so a line about it is waited for, never read at once."""
        return self._wait_for(self.stdout, "stdout", text, deadline)

    def _wait_for(self, read, name, text, deadline):
        end = time.monotonic() + deadline
        while True:
            got = read()
            if text in got:
                return got
            if time.monotonic() >= end:
                raise AssertionError(f"{text!r} not on the server's {name} within {deadline}s: {got[-3000:]!r}")
            time.sleep(0.02)

    def mailbox_files(self, user, sub="new"):
        d = os.path.join(self.maildir, user, sub)
        if not os.path.isdir(d):
            return []
        return sorted(os.path.join(d, f) for f in os.listdir(d))

    def terminate(self, timeout=20.0):
        """SIGTERM, then the exit status (must be 0, with no sanitizer report)."""
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=timeout)
        err = self.stderr()
        assert "Sanitizer" not in err and "runtime error" not in err, err
        assert rc != 0 or not os.path.exists(self.ready_path), "serve removes its ready file when it exits"
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
