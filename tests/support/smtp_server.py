#!/usr/bin/python3
"""A real SMTP server for tamim's tests and benchmarks, built on aiosmtpd.

Needs: Python 3.9+ with aiosmtpd >= 1.4 (Debian: `apt-get install python3-aiosmtpd`, which
installs it for /usr/bin/python3; a pyenv python may not have it).  The Rust helper
tests/support/smtp.rs runs this script with $TAMIM_TEST_PYTHON, or /usr/bin/python3.

Options:
  --host H            address to listen on (default 127.0.0.1)
  --port N            port; 0 picks a free one.  Once listening, prints `READY <port>` on stdout.
  --maildir DIR       store each message as DIR/NNNNNN.eml, with DIR/NNNNNN.json beside it
                      (envelope from, recipients, and the message as Python's e-mail parser
                      reads it: decoded subject, text and HTML bodies, attachments with SHA-256;
                      `*_rfc2047` = From/To/Subject through the plain RFC 2047 decoder).
                      The .json is written first, the .eml last (atomically), so a present .eml
                      always has its sidecar.
  --tls-cert/--tls-key PEM files: offer STARTTLS (and require it before AUTH).
  --smtps             with --tls-cert/--tls-key: TLS from the first byte (SMTPS) instead of STARTTLS.
  --auth USER:PASS    require AUTH PLAIN or LOGIN with these credentials before MAIL.
  --reject ADDR       answer `550 5.1.1 <ADDR>: Recipient address rejected` at RCPT (repeatable).
  --defer ADDR        answer `450 4.2.1 <ADDR>: Mailbox busy, try again later` at RCPT (repeatable).
  --refuse-sender REPLY  answer REPLY (e.g. `554 5.7.1 relay denied`) to every MAIL FROM.
  --count-only        benchmarks: count messages, store nothing.  The count is printed as
                      `COUNT <n>` on stdout at exit (SIGTERM/SIGINT).
"""

import argparse
import asyncio
import hashlib
import json
import os
import signal
import ssl
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult
except ImportError:  # pragma: no cover - told plainly to whoever runs it
    sys.stderr.write(
        "smtp_server.py needs the aiosmtpd package: apt-get install python3-aiosmtpd "
        "(for /usr/bin/python3) or pip install aiosmtpd\n"
    )
    sys.exit(3)


def parse_summary(raw):
    """What an independent MIME parser (Python's e-mail package) makes of the message."""
    from email import policy
    from email.header import decode_header, make_header
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.default).parsebytes(raw)
    legacy = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)

    def rfc2047(name):
        # The plain RFC 2047 decoder: policy.default's address parser puts a space between
        # adjacent encoded-words inside a display name, which RFC 2047 section 6.2 says to drop.
        value = legacy.get(name)
        return None if value is None else str(make_header(decode_header(str(value))))

    out = {
        "from_rfc2047": rfc2047("From"),
        "to_rfc2047": rfc2047("To"),
        "subject_rfc2047": rfc2047("Subject"),
        "subject": str(msg.get("Subject", "")),
        "from": str(msg.get("From", "")),
        "to": str(msg.get("To", "")),
        "message_id": str(msg.get("Message-ID", "")),
        "date": str(msg.get("Date", "")),
        "content_type": msg.get_content_type(),
        "text": None,
        "html": None,
        "attachments": [],
        "defects": [str(d) for d in msg.defects],
    }
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            data = part.get_payload(decode=True) or b""
            out["attachments"].append(
                {
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        elif part.get_content_type() == "text/plain" and out["text"] is None:
            out["text"] = part.get_content()
        elif part.get_content_type() == "text/html" and out["html"] is None:
            out["html"] = part.get_content()
    return out


class Handler:
    def __init__(self, maildir, reject, count_only, refuse_sender=None, defer=()):
        self.maildir = maildir
        self.reject = {r.lower() for r in reject}
        self.defer = {d.lower() for d in defer}
        self.count_only = count_only
        self.refuse_sender = refuse_sender
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return self.refuse_sender
        # What aiosmtpd does when there is no hook.
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        if address.lower() in self.defer:
            return "450 4.2.1 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        n = self.count
        if self.count_only or not self.maildir:
            return "250 OK queued as %d" % n
        raw = envelope.original_content or b""
        try:
            parsed = parse_summary(raw)
        except Exception as e:  # keep the message even if the parser chokes
            parsed = {"error": repr(e)}
        meta = {
            "seq": n,
            "envelope_from": envelope.mail_from,
            "rcpts": list(envelope.rcpt_tos),
            "parsed": parsed,
        }
        base = os.path.join(self.maildir, "%06d" % n)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 OK queued as %d" % n


def make_authenticator(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        login = getattr(auth_data, "login", None)
        pw = getattr(auth_data, "password", None)
        if login is not None and login.decode() == user and pw is not None and pw.decode() == password:
            return AuthResult(success=True)
        # handled=False: aiosmtpd sends the 535 itself; anything else leaves the client waiting.
        return AuthResult(success=False, handled=False)

    return authenticator


async def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--maildir")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--auth")
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--count-only", action="store_true")
    p.add_argument("--smtps", action="store_true")
    p.add_argument("--refuse-sender")
    p.add_argument("--defer", action="append", default=[])
    a = p.parse_args()

    if a.maildir:
        os.makedirs(a.maildir, exist_ok=True)
    handler = Handler(a.maildir, a.reject, a.count_only, a.refuse_sender, a.defer)
    tls_context = None
    if a.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(a.tls_cert, a.tls_key)
    wrapper = tls_context if a.smtps else None
    kwargs = dict(
        hostname="tamim-test-smtp",
        decode_data=False,
        enable_SMTPUTF8=True,
        tls_context=None if a.smtps else tls_context,
        require_starttls=False,
        auth_require_tls=tls_context is not None and not a.smtps,
    )
    if a.auth:
        user, _, password = a.auth.partition(":")
        kwargs.update(authenticator=make_authenticator(user, password), auth_required=True)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **kwargs), a.host, a.port, ssl=wrapper)
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    print("COUNT %d" % handler.count, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
