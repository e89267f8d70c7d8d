"""A timestamp authority for the tests: `openssl ts -reply` behind a tiny HTTP server on loopback.

Usage: tsa_server.py CONFIG [garbage] [basic=USER:PASSWORD] [header=NAME:VALUE]. Prints "PORT <n>" once
listening. With `garbage` it answers every request with bytes that are not a timestamp response; with
`basic=` or `header=` it answers 401 to a request without those credentials (as Kamu SM's TSA wants its
own), and prints each refused request's Authorization header to stderr for no one: nothing is logged.
"""
import base64
import http.server
import subprocess
import sys
import tempfile

CONFIG = sys.argv[1]
GARBAGE = "garbage" in sys.argv[2:]
BASIC = next((a[6:] for a in sys.argv[2:] if a.startswith("basic=")), None)
HEADER = next((a[7:].split(":", 1) for a in sys.argv[2:] if a.startswith("header=")), None)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        allowed = True
        if BASIC is not None:
            allowed &= self.headers.get("Authorization") == "Basic " + base64.b64encode(BASIC.encode()).decode()
        if HEADER is not None:
            allowed &= self.headers.get(HEADER[0]) == HEADER[1]
        if not allowed:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="tsa"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if GARBAGE:
            body = b"this is not a timestamp"
        else:
            with tempfile.NamedTemporaryFile() as q, tempfile.NamedTemporaryFile() as r:
                q.write(query)
                q.flush()
                subprocess.run(["openssl", "ts", "-reply", "-config", CONFIG, "-queryfile", q.name,
                                "-out", r.name], check=True, capture_output=True)
                body = open(r.name, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
