//! A real SMTP server process for tests: starts `tests/support/smtp_server.py` (aiosmtpd) on a
//! free 127.0.0.1 port, reads back what it received, and kills it on drop.
//!
//! Needs Python with aiosmtpd (Debian `python3-aiosmtpd`); the interpreter is
//! `$TAMIM_TEST_PYTHON`, else `/usr/bin/python3`, else `python3`. STARTTLS needs `openssl` on
//! PATH to make the self-signed certificate. Uses the standard library and serde_json only, so
//! integration tests can `mod support;` it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How to start the server.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Offer STARTTLS with a fresh self-signed certificate (see [`SmtpServer::ca_cert`]).
    pub tls: bool,
    /// With `tls`: TLS from the first byte (SMTPS) instead of STARTTLS.
    pub smtps: bool,
    /// Require AUTH PLAIN/LOGIN with this user and password.
    pub auth: Option<(String, String)>,
    /// Answer `550 5.1.1` at RCPT for these addresses.
    pub reject: Vec<String>,
    /// Answer `450 4.2.1` (try again later) at RCPT for these addresses.
    pub defer: Vec<String>,
    /// Answer every MAIL FROM with this reply (e.g. `554 5.7.1 relay denied`).
    pub refuse_sender: Option<String>,
    /// Count messages only, store nothing (benchmarks).
    pub count_only: bool,
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMessage {
    /// The MAIL FROM address.
    pub envelope_from: String,
    /// The accepted RCPT TO addresses.
    pub rcpts: Vec<String>,
    /// The message bytes exactly as received after DATA.
    pub raw: Vec<u8>,
    /// Python's e-mail parser's reading of it: `subject` (decoded), `from`, `to`,
    /// `message_id`, `date`, `text`, `html`, `attachments` [{filename, content_type, size,
    /// sha256}], `defects`.
    pub parsed: serde_json::Value,
}

impl ReceivedMessage {
    /// The raw header block (up to the first blank line), unfolded lines kept as sent.
    pub fn raw_headers(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        match text.find("\r\n\r\n") {
            Some(i) => text[..i].to_string(),
            None => text.into_owned(),
        }
    }
}

/// A running aiosmtpd process on 127.0.0.1; killed when dropped.
pub struct SmtpServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    lines: mpsc::Receiver<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The program named by the environment variable `var`, else `path` when it exists, else `name` on PATH.
fn program(var: &str, path: &str, name: &str) -> String {
    if let Ok(p) = std::env::var(var) {
        return p;
    }
    if Path::new(path).exists() {
        return path.into();
    }
    name.into()
}

fn python() -> String {
    program("TAMIM_TEST_PYTHON", "/usr/bin/python3", "python3")
}

/// The path of the server script: in the workspace root's `tests/support/`, found from the manifest
/// directory of whichever crate includes this file.
pub fn script_path() -> PathBuf {
    let script = Path::new("tests/support/smtp_server.py");
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join(script))
        .find(|p| p.is_file())
        .unwrap_or_else(|| script.to_path_buf())
}

fn scratch_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("tamim-smtp-{}-{}-{}", std::process::id(), n, nanos))
}

/// Makes a self-signed server certificate for 127.0.0.1/localhost with
/// `basicConstraints=critical,CA:FALSE` (rustls refuses a CA certificate as a server's).
pub fn make_self_signed(dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        .args(["-addext", "keyUsage=critical,digitalSignature"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .output()
        .map_err(|e| format!("could not run openssl: {e}"))?;
    if !out.status.success() {
        return Err(format!("openssl failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok((cert, key))
}

impl SmtpServer {
    /// A plain server that stores messages.
    pub fn start() -> Result<SmtpServer, String> {
        Self::start_with(ServerOptions::default())
    }

    /// Starts the server with these options and waits (up to 20 s) for `READY <port>`.
    pub fn start_with(opts: ServerOptions) -> Result<SmtpServer, String> {
        let dir = scratch_dir();
        let maildir = dir.join("maildir");
        std::fs::create_dir_all(&maildir).map_err(|e| format!("{}: {e}", maildir.display()))?;
        let mut cmd = Command::new(python());
        cmd.arg(script_path()).args(["--host", "127.0.0.1", "--port", "0"]);
        if opts.count_only {
            cmd.arg("--count-only");
        } else {
            cmd.arg("--maildir").arg(&maildir);
        }
        if opts.tls {
            let (cert, key) = make_self_signed(&dir)?;
            cmd.arg("--tls-cert").arg(cert).arg("--tls-key").arg(key);
            if opts.smtps {
                cmd.arg("--smtps");
            }
        }
        if let Some((u, p)) = &opts.auth {
            cmd.arg("--auth").arg(format!("{u}:{p}"));
        }
        for r in &opts.reject {
            cmd.arg("--reject").arg(r);
        }
        for d in &opts.defer {
            cmd.arg("--defer").arg(d);
        }
        if let Some(reply) = &opts.refuse_sender {
            cmd.arg("--refuse-sender").arg(reply);
        }
        let stderr = std::fs::File::create(dir.join("stderr.log")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr))
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", python()))?;
        let stdout = match child.stdout.take() {
            Some(s) => s,
            None => return Err("no stdout from the SMTP server".into()),
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = SmtpServer {
            child: Some(child),
            port: 0,
            dir,
            lines: rx,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match server.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(p) = line.strip_prefix("READY ") {
                        server.port = p.trim().parse().map_err(|_| format!("bad line {line:?}"))?;
                        return Ok(server);
                    }
                }
                Err(_) => {
                    let log = std::fs::read_to_string(server.dir.join("stderr.log")).unwrap_or_default();
                    return Err(format!("SMTP server did not become ready: {log}"));
                }
            }
        }
    }

    /// The port it listens on, at 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The PEM certificate to trust (when started with `tls`).
    pub fn ca_cert(&self) -> PathBuf {
        self.dir.join("cert.pem")
    }

    /// Everything received so far, in arrival order.
    pub fn messages(&self) -> Vec<ReceivedMessage> {
        let maildir = self.dir.join("maildir");
        let mut names: Vec<PathBuf> = match std::fs::read_dir(&maildir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        let mut out = Vec::new();
        for eml in names {
            let raw = match std::fs::read(&eml) {
                Ok(r) => r,
                Err(_) => continue,
            };
            let meta: serde_json::Value = std::fs::read(eml.with_extension("json"))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or(serde_json::Value::Null);
            out.push(ReceivedMessage {
                envelope_from: meta["envelope_from"].as_str().unwrap_or("").to_string(),
                rcpts: meta["rcpts"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                    .unwrap_or_default(),
                raw,
                parsed: meta["parsed"].clone(),
            });
        }
        out
    }

    /// Waits until at least `n` messages are stored (or the timeout passes) and returns them.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMessage> {
        let deadline = Instant::now() + timeout;
        loop {
            let m = self.messages();
            if m.len() >= n || Instant::now() >= deadline {
                return m;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server with SIGTERM and returns the number of messages it accepted.
    pub fn stop(mut self) -> Option<u64> {
        let child = self.child.take()?;
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let mut child = child;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut count = None;
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    if let Some(c) = line.strip_prefix("COUNT ") {
                        count = c.trim().parse().ok();
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        count
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        kill_and_remove(self.child.take(), &self.dir);
    }
}

/// Kills a server process (if still there) and removes its scratch folder.
fn kill_and_remove(child: Option<Child>, dir: &Path) {
    if let Some(mut child) = child {
        let _ = child.kill();
        let _ = child.wait();
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9)
}

/// Postfix's `smtp-sink` on 127.0.0.1, for benchmarks: a parallel, event-driven C test server that
/// accepts every message and throws it away, so the client being measured is the limit (the
/// single-threaded aiosmtpd above is not: over half of a pooled run's CPU went to it). Killed on drop.
///
/// Needs `smtp-sink` (Debian package `postfix`; see BENCHMARKS.md for an install that leaves the
/// Postfix daemon unconfigured); the program is `$TAMIM_SMTP_SINK`, else `/usr/sbin/smtp-sink`, else
/// `smtp-sink` on PATH.
pub struct SmtpSink {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

fn smtp_sink_program() -> String {
    program("TAMIM_SMTP_SINK", "/usr/sbin/smtp-sink", "smtp-sink")
}

/// True when this process runs as root (smtp-sink then needs `-u USER` to drop privileges).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Uid:"))?.to_string();
            line.split_whitespace().nth(2).map(|euid| euid == "0")
        })
        .unwrap_or(false)
}

impl SmtpSink {
    /// Starts `smtp-sink -c 127.0.0.1:PORT 256` on a free port and waits (up to 20 s) until it
    /// accepts connections.
    pub fn start() -> Result<SmtpSink, String> {
        let dir = scratch_dir();
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = unused_port();
        let out = std::fs::File::create(dir.join("counter.log")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut cmd = Command::new(smtp_sink_program());
        if running_as_root() {
            cmd.args(["-u", "nobody"]);
        }
        // -c: counters on stdout (`sess=.. quit=.. mesg=N`, one per message, \r-separated).
        cmd.arg("-c").arg(format!("127.0.0.1:{port}")).arg("256");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!(
                    "could not start {}: {e} (Debian: apt-get install postfix, see BENCHMARKS.md)",
                    smtp_sink_program()
                )
            })?;
        let mut sink = SmtpSink {
            child: Some(child),
            port,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(Ok(Some(status))) = sink.child.as_mut().map(|c| c.try_wait()) {
                let mut err = String::new();
                if let Some(mut e) = sink.child.as_mut().and_then(|c| c.stderr.take()) {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                return Err(format!("smtp-sink exited ({status}): {err}"));
            }
            if Instant::now() >= deadline {
                return Err(format!("smtp-sink did not listen on 127.0.0.1:{port}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(sink)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Messages accepted so far (completed DATA), from the sink's last counter line.
    pub fn count(&self) -> Option<u64> {
        let text = std::fs::read_to_string(self.dir.join("counter.log")).ok()?;
        let last = text.rsplit('\r').find(|l| l.contains("mesg="))?;
        last.split_whitespace()
            .find_map(|f| f.strip_prefix("mesg="))?
            .parse()
            .ok()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        kill_and_remove(self.child.take(), &self.dir);
    }
}

/// The server a benchmark sends to: `smtp-sink` (the default), or aiosmtpd in count-only mode with
/// `BENCH_SMTP_SERVER=aiosmtpd` (the server the figures before smtp-sink were measured against).
pub enum BenchServer {
    Sink(SmtpSink),
    Aiosmtpd(SmtpServer),
}

impl BenchServer {
    pub fn from_env() -> Result<BenchServer, String> {
        match std::env::var("BENCH_SMTP_SERVER").as_deref() {
            Ok("aiosmtpd") => SmtpServer::start_with(ServerOptions {
                count_only: true,
                ..Default::default()
            })
            .map(BenchServer::Aiosmtpd),
            Ok("smtp-sink") | Err(_) => SmtpSink::start().map(BenchServer::Sink),
            Ok(other) => Err(format!(
                "BENCH_SMTP_SERVER={other:?}: use smtp-sink (default) or aiosmtpd"
            )),
        }
    }

    /// `smtp-sink` or `aiosmtpd (count-only)`.
    pub fn name(&self) -> &'static str {
        match self {
            BenchServer::Sink(_) => "Postfix smtp-sink",
            BenchServer::Aiosmtpd(_) => "aiosmtpd (count-only, one Python process)",
        }
    }

    pub fn port(&self) -> u16 {
        match self {
            BenchServer::Sink(s) => s.port(),
            BenchServer::Aiosmtpd(s) => s.port(),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port())
    }

    /// Stops the server; the number of messages it accepted.
    pub fn stop(self) -> Option<u64> {
        match self {
            BenchServer::Sink(s) => {
                // The counter is written when "." is answered; give the last line a moment.
                std::thread::sleep(Duration::from_millis(100));
                s.count()
            }
            BenchServer::Aiosmtpd(s) => s.stop(),
        }
    }
}

impl BenchServer {
    /// The server's user + system CPU seconds so far (Linux /proc; None elsewhere).
    pub fn cpu_seconds(&self) -> Option<f64> {
        let child = match self {
            BenchServer::Sink(s) => s.child.as_ref(),
            BenchServer::Aiosmtpd(s) => s.child.as_ref(),
        }?;
        cpu_seconds_of(&child.id().to_string())
    }
}

/// User + system CPU seconds of process `pid` (`self` for this one) from /proc/PID/stat.
pub fn cpu_seconds_of(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let f: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    // Clock ticks; 100 per second on Linux.
    Some((tick(11)? + tick(12)?) / 100.0)
}
