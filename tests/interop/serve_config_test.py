"""Interop: `mailsim serve --config` runs a scenario network on real loopback ports and relays over real TCP.

1. relay: scenarios/relay-two-domains.yaml; smtplib submits (logged in, on mail.cesoo.com's submission listener)
   a message for rose@example.org; mail.cesoo.com queues it and relays it over TCP to mx.example.org (its MX); poplib
   polls mx.example.org's POP3 listener until it arrives, with both hops' Received: lines; SIGTERM exits 0.
2. queue reload: the same network, but mx.example.org greylists (451 to the first RCPT of each client, sender and
   recipient) and mail.cesoo.com waits 60 s before its first retry. The first attempt is deferred, the server is
   stopped with the message still queued (its queue file on disk), started again: the queue is read back and run at
   once (deferred again: greylisting memory does not survive a restart, as with a real greylisting daemon
   without a database), the next retry (1 s) delivers it.

Ports: a random --port-offset in 20000-40000 (hosts on 127.0.0.1 and 127.0.0.2), another one when a port is taken.
Every wait is bounded; the server is always killed at the end (MailsimServer's context manager).

usage: serve_config_test.py PATH/TO/mailsim PATH/TO/SOURCE_DIR
"""
import os
import poplib
import random
import shutil
import smtplib
import sys
import tempfile
import time

from mailsim_server import MailsimServer

TIMEOUT = 20
DELIVERY_DEADLINE = 30.0  # seconds for a relayed message to reach the mailbox

MESSAGE = ("From: Mike <mike@cesoo.com>\r\nTo: Rose <rose@example.org>\r\nSubject: Hello from cesoo.com\r\n"
           "Message-ID: <{tag}@cesoo.com>\r\n\r\nI love you, Rose\r\n")

# The two-domain network with a greylisting MX and a slow first retry (for the restart case).
GREYLIST_SCENARIO = """\
title: queue reload after a restart
hosts:
  - name: mail.cesoo.com
    domains: [cesoo.com]
    services: [smtp, submission, pop3]
    users: [{ name: mike, password: mike123 }]
    queue: { retry: [60s, 1s] }
  - name: mx.example.org
    domains: [example.org]
    services: [smtp, pop3]
    users: [{ name: rose, password: rose123 }]
    smtp:
      rules:
        - { at: RCPT, reply: 451, enhanced: 4.7.1, greylist: true, text: "Greylisted, please try again later" }
dns:
  cesoo.com: { mx: [mail.cesoo.com] }
  example.org: { mx: [mx.example.org] }
steps: []
"""


def started(mailsim, config, listeners):
    """A server on a free random port range: another offset while a port is taken."""
    for _ in range(8):
        srv = MailsimServer(mailsim, config=config, port_offset=random.randrange(20000, 40000, 100),
                            expected_listeners=listeners)
        try:
            srv.start()
            return srv
        except AssertionError as e:
            srv.kill()
            if "cannot listen" not in str(e):
                raise
    raise AssertionError("no free port range found in 8 tries")


def submit(srv, tag):
    host, port = srv.endpoints[("mail.cesoo.com", "submission")]
    with smtplib.SMTP(host, port, timeout=TIMEOUT) as s:
        s.login("mike@cesoo.com", "mike123")
        refused = s.sendmail("mike@cesoo.com", ["rose@example.org"], MESSAGE.format(tag=tag).encode())
        assert refused == {}, refused


def wait_for_mail(srv, deadline=DELIVERY_DEADLINE):
    """Polls rose's POP3 maildrop on mx.example.org until a message is there; returns it."""
    host, port = srv.endpoints[("mx.example.org", "pop3")]
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        p = poplib.POP3(host, port, timeout=TIMEOUT)
        try:
            p.user("rose@example.org")
            p.pass_("rose123")
            count, _ = p.stat()
            if count:
                return b"\r\n".join(p.retr(1)[1]).decode()
        finally:
            p.quit()
        time.sleep(0.2)
    raise AssertionError(f"nothing in rose's mailbox within {deadline}s:\n{srv.stdout()[-3000:]}")


def check_received(message, srv):
    cesoo, mx = srv.endpoints[("mail.cesoo.com", "smtp")][0], srv.endpoints[("mx.example.org", "smtp")][0]
    assert cesoo != mx, (cesoo, mx)  # each host on its own loopback address
    header = message.split("\r\n\r\n", 1)[0]
    received = [l for l in header.replace("\r\n\t", " ").split("\r\n") if l.startswith("Received:")]
    assert len(received) == 2, header
    # Newest first: mx.example.org took it from mail.cesoo.com (from its address), which took it from smtplib.
    assert "from mail.cesoo.com" in received[0] and f"[{cesoo}]" in received[0] and "by mx.example.org" in received[0], received
    assert "by mail.cesoo.com" in received[1] and "ESMTPA" in received[1], received
    assert header.startswith("Return-Path: <mike@cesoo.com>"), header
    assert "I love you, Rose" in message


def queue_files(srv):
    d = os.path.join(srv.maildir, "mail.cesoo.com", "queue")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def wait_queue_empty(srv, deadline=10.0):
    """The queue file goes once the relay saw the 250 (a moment after the mailbox has the message)."""
    end = time.monotonic() + deadline
    while queue_files(srv):
        assert time.monotonic() < end, (queue_files(srv), srv.stdout()[-3000:])
        time.sleep(0.05)


def check_relay(mailsim, source):
    srv = started(mailsim, os.path.join(source, "scenarios", "relay-two-domains.yaml"), listeners=5)
    with srv:
        submit(srv, "relay-test")
        check_received(wait_for_mail(srv), srv)
        wait_queue_empty(srv)  # the relay saw the 250 and traced the hop
        # The hop's line is in stdout's buffer when the queue file goes; serve flushes it at the end of that loop
        # iteration, so it is waited for (bounded), not expected at once.
        out = srv.wait_for_stdout("[relay hop] <relay-test@cesoo.com>: mail.cesoo.com -> mx.example.org: 1 delivered")
        assert "[dns] mail.cesoo.com asks: MX example.org" in out, out[-3000:]
        assert srv.terminate() == 0
        print("ok: relayed over real TCP through the MX record, two Received: lines, exit 0 on SIGTERM")


def check_queue_reload(mailsim):
    scenario_dir = tempfile.mkdtemp(prefix="mailsim-serve-config-")
    config = os.path.join(scenario_dir, "greylist.yaml")
    with open(config, "w") as f:
        f.write(GREYLIST_SCENARIO)
    srv = started(mailsim, config, listeners=5)
    with srv:
        submit(srv, "reload-test")
        end = time.monotonic() + DELIVERY_DEADLINE
        while "deferred: 1 recipient still pending (451" not in srv.stdout():
            assert time.monotonic() < end, srv.stdout()[-3000:]
            time.sleep(0.05)
        files = queue_files(srv)
        assert len(files) == 1, files
        with open(os.path.join(srv.maildir, "mail.cesoo.com", "queue", files[0])) as f:
            text = f.read()
        assert "rcpt: pending 451 rose@example.org" in text and "attempts: 1" in text, text
        srv.restart()  # the retry is a minute away: the message is still queued when the server stops
        with open(f"{srv.err_path}.1") as f:
            assert "1 message of mail.cesoo.com stays queued on disk" in f.read()
        message = wait_for_mail(srv)
        check_received(message, srv)
        wait_queue_empty(srv)
        out = srv.wait_for_stdout("1 delivered")  # flushed after the queue file went (see check_relay)
        assert f"{files[0]} reloaded from" in out, out[-3000:]
        assert srv.terminate() == 0
        print("ok: a queued message survives a restart (queue file reloaded and delivered)")
    shutil.rmtree(scenario_dir, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: serve_config_test.py PATH/TO/mailsim PATH/TO/SOURCE_DIR")
    mailsim = os.path.abspath(sys.argv[1])
    check_relay(mailsim, os.path.abspath(sys.argv[2]))
    check_queue_reload(mailsim)


if __name__ == "__main__":
    main()
