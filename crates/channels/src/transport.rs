//! The [`Transport`] trait every channel's way of sending implements (it takes the message already built,
//! like lettre's `Transport::send_raw`), its result types, [`FileTransport`]: one `.eml` per message in an
//! outbox folder, written atomically and named from the Message-ID so a re-send overwrites the same file,
//! and the drivers over N transports in N threads: [`send_jobs`] (a window of jobs) and [`send_on_demand`]
//! (each connection asks for its next job only when it is ready to send it). SMTP lives in
//! [`super::smtp`].

use std::fmt;
use std::io::Write;
use std::ops::ControlFlow;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};

use tamim_core::Channel;

use super::message::{BuiltMail, OutgoingMail};
pub use super::settings::{Secret, SmtpSettings, Tls};
pub use super::smtp::{parallel_send, SmtpPool, SmtpTransport};

/// The message was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The server's final reply (`250 OK queued as 12`), or `file: PATH` for the file outbox.
    pub reply: String,
}

/// Retry later, or give up on this message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// 4xx replies, refused or lost connections, timeouts: try again later.
    Transient,
    /// 5xx replies, a message that cannot be built, a TLS or settings problem: retrying the
    /// same thing will fail the same way.
    Permanent,
}

/// How far the attempt got when it failed. [`Stage::Connect`], [`Stage::Tls`], [`Stage::Auth`]
/// and a reply refusing [`Stage::MailFrom`] concern the server or the sender, not the recipient:
/// a driver should stop the run (or retry later) rather than mark recipients failed; see
/// [`SendError::is_server_level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Building the message from its data (bad address, header injection).
    Build,
    /// Opening the connection, greeting, EHLO.
    Connect,
    /// TLS handshake or STARTTLS.
    Tls,
    /// Authentication.
    Auth,
    /// MAIL FROM.
    MailFrom,
    /// RCPT TO.
    Rcpt,
    /// DATA and the message body.
    Data,
    /// Writing the outbox file.
    File,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Build => "building the message",
            Stage::Connect => "connecting",
            Stage::Tls => "TLS",
            Stage::Auth => "authentication",
            Stage::MailFrom => "MAIL FROM",
            Stage::Rcpt => "RCPT TO",
            Stage::Data => "DATA",
            Stage::File => "writing the outbox file",
        })
    }
}

/// Why a message was not sent. `message` is plain English and names where it tried
/// (`smtp://127.0.0.1:2525`) and the server's reply; it never contains the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub kind: FailureKind,
    pub stage: Stage,
    /// The SMTP reply code, when the server answered with one (e.g. 550).
    pub code: Option<u16>,
    pub message: String,
}

impl SendError {
    /// True when the failure concerns the server or settings rather than this recipient, so the
    /// same would happen to every message: connect, TLS, AUTH, or the server answering MAIL FROM
    /// with a refusal (`554 5.7.1 relay denied`: it will not take mail from this sender at all).
    /// MAIL FROM is the same for every message; the recipient is named only at RCPT TO. A
    /// connection lost at MAIL FROM with no reply stays with the message (retried later).
    pub fn is_server_level(&self) -> bool {
        match self.stage {
            Stage::Connect | Stage::Tls | Stage::Auth => true,
            Stage::MailFrom => self.code.is_some(),
            _ => false,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendError {}

/// One channel's way of sending a message already built for it ([`Transport::Message`]: for e-mail a
/// [`BuiltMail`]); building happens once, before any transport sees the message. Implementations may keep a
/// connection open between calls. A new channel (KEP) is one implementation plus its message type.
pub trait Transport: Send {
    /// The message as this channel carries it.
    type Message;
    /// The channel this transport delivers on (recorded with each delivery it sends).
    fn channel(&self) -> Channel;
    fn send_built(&mut self, msg: &Self::Message) -> Result<Delivered, SendError>;
}

/// A message that could not be built: that message's permanent failure.
pub fn build_failure(e: impl fmt::Display) -> SendError {
    SendError {
        kind: FailureKind::Permanent,
        stage: Stage::Build,
        code: None,
        message: e.to_string(),
    }
}

/// E-mail transports also take an [`OutgoingMail`], built here and then sent.
pub trait MailTransport: Transport<Message = BuiltMail> {
    fn send(&mut self, msg: &OutgoingMail) -> Result<Delivered, SendError> {
        let built = BuiltMail::new(msg).map_err(build_failure)?;
        self.send_built(&built)
    }
}

impl<T: Transport<Message = BuiltMail>> MailTransport for T {}

/// The default transport: `DIR/<message-id>.eml`, one file per message.
#[derive(Debug, Clone)]
pub struct FileTransport {
    dir: PathBuf,
    fsync: bool,
    dir_ready: bool,
    /// Whether the folder takes unnamed files (`O_TMPFILE`, linked into place): unknown until tried.
    unnamed: Option<bool>,
}

impl FileTransport {
    /// Writes into `dir` (created on first send). A file appears under its name only when complete
    /// (written unnamed and linked into place, or where the file system cannot, written under a temporary
    /// name and renamed); files are not fsynced unless [`FileTransport::with_fsync`] asks for it.
    pub fn new(dir: impl Into<PathBuf>) -> FileTransport {
        FileTransport {
            dir: dir.into(),
            fsync: false,
            dir_ready: false,
            unnamed: None,
        }
    }

    /// Also fsync each file before the rename (survives power loss; much slower).
    pub fn with_fsync(mut self, fsync: bool) -> FileTransport {
        self.fsync = fsync;
        self
    }

    /// Always write under a temporary name and rename, as where the file system has no unnamed files.
    #[cfg(test)]
    pub(crate) fn named_files_only(mut self) -> FileTransport {
        self.unnamed = Some(false);
        self
    }

    /// The outbox folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a message goes to: the Message-ID without `<>`, characters other than
    /// letters, digits, `.`, `-`, `_`, `=`, `@` replaced by `_`, plus `.eml`.
    pub fn path_for(&self, msg: &OutgoingMail) -> PathBuf {
        self.path_for_id(&msg.message_id)
    }

    /// [`FileTransport::path_for`] from the Message-ID alone.
    pub fn path_for_id(&self, message_id: &str) -> PathBuf {
        let stem: String = message_id
            .trim_matches(|c| c == '<' || c == '>')
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-=@".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let stem = stem.trim_start_matches('.');
        let stem = if stem.is_empty() { "message" } else { stem };
        self.dir.join(format!("{stem}.eml"))
    }
}

impl FileTransport {
    /// Put `bytes` at `path` so that the file is either absent or complete under that name.
    fn write(&mut self, bytes: &[u8], path: &Path, tmp: &dyn Fn() -> PathBuf) -> std::io::Result<()> {
        if self.unnamed != Some(false) {
            match unnamed::write(&self.dir, bytes, path, self.fsync, tmp) {
                Ok(()) => {
                    self.unnamed = Some(true);
                    return Ok(());
                }
                Err(unnamed::Error::Unsupported) => self.unnamed = Some(false),
                Err(unnamed::Error::Io(e)) => return Err(e),
            }
        }
        let tmp = tmp();
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(bytes)?;
            if self.fsync {
                f.sync_all()?;
            }
            drop(f);
            std::fs::rename(&tmp, path)
        };
        let r = write();
        if r.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        r
    }
}

/// Writing a file with no name in its folder (`O_TMPFILE`) and linking it in when complete: one
/// directory entry per message, where a temporary name and a rename cost three directory operations
/// (the rename was a quarter of a sending thread's time on ext4).
mod unnamed {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::path::{Path, PathBuf};

    use rustix::fs::{linkat, openat, AtFlags, Mode, OFlags, CWD};
    use rustix::io::Errno;

    pub enum Error {
        /// The file system (or a missing `/proc`) does not allow it: use a temporary name instead.
        Unsupported,
        Io(std::io::Error),
    }

    impl From<std::io::Error> for Error {
        fn from(e: std::io::Error) -> Error {
            Error::Io(e)
        }
    }

    pub fn write(dir: &Path, bytes: &[u8], path: &Path, fsync: bool, tmp: &dyn Fn() -> PathBuf) -> Result<(), Error> {
        // Owner only (0600): a message holds the recipient's acknowledgement link and the document.
        let fd = match openat(
            CWD,
            dir,
            OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        ) {
            Ok(fd) => fd,
            Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => return Err(Error::Unsupported),
            Err(e) => return Err(Error::Io(e.into())),
        };
        let mut f = std::fs::File::from(fd);
        f.write_all(bytes)?;
        if fsync {
            f.sync_all()?;
        }
        // Linking an unnamed file by its descriptor goes through /proc (AT_EMPTY_PATH would need a
        // capability).
        let me = format!("/proc/self/fd/{}", f.as_raw_fd());
        match linkat(CWD, me.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW) {
            Ok(()) => Ok(()),
            // Sent before (a re-run after a crash): replace it whole, through a temporary name.
            Err(Errno::EXIST) => {
                let tmp = tmp();
                linkat(CWD, me.as_str(), CWD, &tmp, AtFlags::SYMLINK_FOLLOW).map_err(std::io::Error::from)?;
                std::fs::rename(&tmp, path).inspect_err(|_| {
                    let _ = std::fs::remove_file(&tmp);
                })?;
                Ok(())
            }
            Err(Errno::NOENT) if !Path::new("/proc/self/fd").exists() => Err(Error::Unsupported),
            Err(e) => Err(Error::Io(e.into())),
        }
    }
}

/// The outbox folder, made owner-only (0700) when this creates it; one made before keeps its mode.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

fn file_error(path: &Path, e: std::io::Error) -> SendError {
    SendError {
        kind: FailureKind::Transient,
        stage: Stage::File,
        code: None,
        message: format!("could not write the outbox file {}: {e}", path.display()),
    }
}

impl Transport for FileTransport {
    type Message = BuiltMail;

    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send_built(&mut self, msg: &BuiltMail) -> Result<Delivered, SendError> {
        let bytes = &msg.bytes;
        let path = self.path_for_id(&msg.message_id);
        if !self.dir_ready {
            create_private_dir(&self.dir).map_err(|e| file_error(&self.dir, e))?;
            self.dir_ready = true;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = name.clone();
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let dir = self.dir.clone();
        let tmp = move || {
            let seq = SEQ.fetch_add(1, Ordering::Relaxed);
            dir.join(format!(".{name}.{}-{seq}.tmp", std::process::id()))
        };
        let mut result = self.write(bytes, &path, &tmp);
        if matches!(&result, Err(e) if e.kind() == std::io::ErrorKind::NotFound) {
            // The folder went away since the first message: make it again, once.
            let _ = std::fs::create_dir_all(&self.dir);
            result = self.write(bytes, &path, &tmp);
        }
        if let Err(e) = result {
            return Err(file_error(&path, e));
        }
        // The file's name in the outbox only: what is recorded (and shown to an auditor) names no path on
        // the server.
        Ok(Delivered {
            reply: format!("file: {shown}"),
        })
    }
}

/// Work for [`send_jobs`] and [`send_on_demand`]: something that becomes a built message on the sending
/// thread (so composing and building run in parallel too, once per message), or an error that is reported as
/// that job's result.
pub trait Job: Send {
    /// What the job builds: the [`Transport::Message`] of the transports it goes to.
    type Message;
    fn build(&self) -> Result<Self::Message, SendError>;
}

impl Job for OutgoingMail {
    type Message = BuiltMail;
    fn build(&self) -> Result<BuiltMail, SendError> {
        BuiltMail::new(self).map_err(build_failure)
    }
}

/// Build `j` and send it on `t`; a panic while doing so (a bug) fails that message with what it said.
fn build_and_send<T: Transport, J: Job<Message = T::Message>>(t: &mut T, j: &J) -> Result<Delivered, SendError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match j.build() {
        Ok(m) => t.send_built(&m),
        Err(e) => Err(e),
    }))
    .unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(SendError {
            kind: FailureKind::Permanent,
            stage: Stage::Build,
            code: None,
            message: format!("internal error: {what}"),
        })
    })
}

/// Sends `messages` through `transports`, one thread per transport (e.g. the connections of
/// an [`SmtpPool`], or several [`FileTransport`] clones). At most 2 × `transports.len()`
/// messages are in flight; they are taken from the iterator in order as capacity frees up,
/// so a long or lazy iterator stays cheap in memory. `on_result(index, message, result)` runs
/// on the calling thread once for every message that was handed to a transport (in
/// completion order; `index` = position in `messages`); returning `ControlFlow::Break(())`
/// stops taking new messages, and those already in flight are still reported. Returns how
/// many messages were reported.
pub fn send_parallel<T, I, F>(transports: &mut [T], messages: I, on_result: F) -> usize
where
    T: Transport<Message = BuiltMail>,
    I: IntoIterator<Item = OutgoingMail>,
    F: FnMut(usize, OutgoingMail, Result<Delivered, SendError>) -> ControlFlow<()>,
{
    let window = transports.len() * 2;
    send_jobs(transports, window, messages, on_result)
}

/// [`send_parallel`] for any [`Job`], with at most `window` jobs handed to the threads and not yet
/// reported. The iterator is pulled and `on_result` called on the calling thread only, so both may
/// touch the caller's state (a database connection) while the threads send.
pub fn send_jobs<T, J, I, F>(transports: &mut [T], window: usize, jobs: I, mut on_result: F) -> usize
where
    T: Transport,
    J: Job<Message = T::Message>,
    I: IntoIterator<Item = J>,
    F: FnMut(usize, J, Result<Delivered, SendError>) -> ControlFlow<()>,
{
    if transports.is_empty() {
        return 0;
    }
    let window = window.max(1);
    let (work_tx, work_rx) = mpsc::channel::<(usize, J)>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, J, Result<Delivered, SendError>)>();
    let mut reported = 0;
    std::thread::scope(|s| {
        for t in transports.iter_mut() {
            let rx = &work_rx;
            let tx = done_tx.clone();
            s.spawn(move || loop {
                let job = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => break,
                };
                let Ok((i, j)) = job else { break };
                // A panic while composing or sending (a bug) fails that message, with what it said, instead
                // of ending this thread with the job unanswered and the caller waiting for it.
                let r = build_and_send(t, &j);
                if tx.send((i, j, r)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut source = jobs.into_iter().enumerate();
        let mut feeding = true;
        let mut in_flight = 0usize;
        loop {
            while feeding && in_flight < window {
                match source.next() {
                    Some(job) => {
                        if work_tx.send(job).is_err() {
                            feeding = false;
                            break;
                        }
                        in_flight += 1;
                    }
                    None => feeding = false,
                }
            }
            if in_flight == 0 {
                break;
            }
            let Ok((i, j, r)) = done_rx.recv() else { break };
            in_flight -= 1;
            reported += 1;
            if on_result(i, j, r).is_break() {
                feeding = false;
            }
        }
        drop(work_tx);
    });
    reported
}

/// A connection's request to [`send_on_demand`]'s `serve`: which transport asks, and the result of the job it
/// sent last (none on its first request).
pub struct Request<J> {
    pub transport: usize,
    pub done: Option<(J, Result<Delivered, SendError>)>,
}

/// Sends over `transports`, one thread per transport, each taking its next job only when it is ready to send
/// it: a thread reports the result of its last job and asks for the next one in the same request. `serve`
/// runs on the calling thread with every request waiting at that moment (a batch: the requests that came in
/// while it handled the previous one) and answers each, in order, with that connection's next job or `None`
/// to end its thread. So the jobs taken and not yet reported are at most one per transport, and a caller that
/// records the batch's results and takes the next jobs in one commit has, at any moment, at most one message
/// per connection out without its result recorded. Returns how many results were reported.
pub fn send_on_demand<T, J, F>(transports: &mut [T], mut serve: F) -> usize
where
    T: Transport,
    J: Job<Message = T::Message>,
    F: FnMut(&mut Vec<Request<J>>) -> Vec<Option<J>>,
{
    let (req_tx, req_rx) = mpsc::channel::<Request<J>>();
    let (mut reported, mut live) = (0, transports.len());
    std::thread::scope(|s| {
        let mut answer_to = Vec::with_capacity(live);
        for (i, t) in transports.iter_mut().enumerate() {
            let (job_tx, job_rx) = mpsc::channel::<Option<J>>();
            answer_to.push(job_tx);
            let req_tx = req_tx.clone();
            s.spawn(move || {
                let mut done = None;
                loop {
                    if req_tx
                        .send(Request {
                            transport: i,
                            done: done.take(),
                        })
                        .is_err()
                    {
                        break;
                    }
                    let Ok(Some(j)) = job_rx.recv() else { break };
                    let r = build_and_send(t, &j);
                    done = Some((j, r));
                }
            });
        }
        drop(req_tx);
        let mut batch = Vec::new();
        while live > 0 {
            let Ok(first) = req_rx.recv() else { break };
            batch.push(first);
            batch.extend(req_rx.try_iter());
            reported += batch.iter().filter(|r| r.done.is_some()).count();
            let asked: Vec<usize> = batch.iter().map(|r| r.transport).collect();
            let mut answers = serve(&mut batch).into_iter();
            batch.clear();
            for i in asked {
                let job = answers.next().flatten();
                let stops = job.is_none();
                // A thread that is gone (it cannot be: it waits for this answer) is not waited for.
                if answer_to[i].send(job).is_err() || stops {
                    live -= 1;
                }
            }
        }
    });
    reported
}
