"""A timestamp authority for the tests: `openssl ts -reply` behind a tiny HTTP server on loopback.

Usage: tsa_server.py CONFIG [garbage]. Prints "PORT <n>" once listening. With `garbage` it answers
every request with bytes that are not a timestamp response.
"""
import http.server
import subprocess
import sys
import tempfile

CONFIG = sys.argv[1]
GARBAGE = len(sys.argv) > 2 and sys.argv[2] == "garbage"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
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
