#!/usr/bin/python3
"""Baseline client for the SMTP throughput benchmark: sends one .eml N times with Python's
smtplib to 127.0.0.1:PORT, over one reused connection (default) or a new connection per
message (--per-message), and prints `SENT <n> <seconds> <CPU seconds of this process>`. Standard library only."""

import argparse
import smtplib
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--eml", required=True)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--from-addr", default="tamim@iesob.org.tr")
    p.add_argument("--to-addr", default="oda@example.org")
    p.add_argument("--per-message", action="store_true")
    a = p.parse_args()
    raw = open(a.eml, "rb").read()
    started = time.perf_counter()
    s = None
    for _ in range(a.count):
        if s is None:
            s = smtplib.SMTP("127.0.0.1", a.port, local_hostname="localhost", timeout=30)
            s.ehlo()
        s.sendmail(a.from_addr, [a.to_addr], raw)
        if a.per_message:
            s.quit()
            s = None
    if s is not None:
        s.quit()
    print("SENT %d %.6f %.3f" % (a.count, time.perf_counter() - started, time.process_time()), flush=True)


if __name__ == "__main__":
    main()
