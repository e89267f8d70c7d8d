//! The single writer of acknowledgements: one thread owning one connection with `synchronous = FULL`,
//! taking queued acknowledgements in batches — each a savepoint in one transaction, one fsync per batch
//! (group commit) — and answering every request only after its batch is on disk.
//!
//! Checkpoints are kept off the commit path: the writer's connection never checkpoints
//! (`wal_autocheckpoint = 0`; SQLite's automatic one runs inside the commit that crosses 1000 WAL pages
//! and stalled that batch for hundreds of milliseconds). A second thread with its own connection runs
//! `PRAGMA wal_checkpoint(PASSIVE)` every 250 ms, which never waits for the writer or readers
//! (`store::Checkpointer`).
//!
//! A staff member's acknowledgement through a personal link takes it too ([`Work::Staff`]).
//!
//! Reports from other tamims (`POST /rapor`) take the same queue ([`Work::Report`]): each is one savepoint
//! of a batch, so a refused report writes nothing and an accepted one is durable before it is answered.

use tokio::sync::{mpsc, oneshot};

use tamim_app::ack::{self, Ack, Outcome};
use tamim_app::error::{Error, Result};
use tamim_app::report::{self, Accepted, Refused};
use tamim_app::roster::delegate::{self, LinkOutcome};
use tamim_store::{deliveries, Store};

/// Largest batch committed at once.
const MAX_BATCH: usize = 512;

pub struct Job {
    pub delivery: i64,
    pub ack: Ack,
    pub reply: oneshot::Sender<Result<Outcome, String>>,
}

/// A report as received: its exact bytes and the signature header.
pub struct ReportJob {
    pub body: axum::body::Bytes,
    pub signature: Option<String>,
    pub reply: oneshot::Sender<Result<Accepted, ReportFailed>>,
}

/// Why a report was not recorded: refused (the reporter's fault) or a failure of ours.
pub enum ReportFailed {
    Refused(Refused),
    Failed(String),
}

/// A staff member's acknowledgement through their personal link (`/ack/s/TOKEN`).
pub struct StaffJob {
    pub link: tamim_app::roster::delegate::LinkView,
    pub ip: String,
    /// `YYYY-MM-DD` in the office's zone: a person who left by then is refused.
    pub today: String,
    pub reply: oneshot::Sender<Result<LinkOutcome, Error>>,
}

/// What the writer takes.
pub enum Work {
    Ack(Job),
    Report(ReportJob),
    Staff(StaffJob),
}

impl From<Job> for Work {
    fn from(j: Job) -> Work {
        Work::Ack(j)
    }
}

/// Start the writer thread on the registry at `home`; returns the queue to send jobs to, and the thread, which
/// ends once every sender is dropped and the jobs queued are committed.
pub fn start(home: &std::path::Path, secret: Vec<u8>) -> Result<(mpsc::Sender<Work>, std::thread::JoinHandle<()>)> {
    let mut store = Store::open(home)?;
    store.strict_commits()?;
    let checkpoints = store.checkpoint_off_thread()?;
    let (tx, mut rx) = mpsc::channel::<Work>(4096);
    let thread = std::thread::Builder::new()
        .name("tamim-ack-writer".into())
        .spawn(move || {
            let _checkpoints = checkpoints; // the checkpointer stops when the writer does
            while let Some(first) = rx.blocking_recv() {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                commit(&mut store, &secret, batch);
            }
        })
        .map_err(|e| Error::runtime("cannot start the acknowledgement writer", e))?;
    Ok((tx, thread))
}

fn one(tx: &tamim_store::Tx, job: &Job) -> Result<Outcome> {
    let d = deliveries::get(tx, job.delivery)?.ok_or_else(|| Error::not_found("delivery", job.delivery.to_string()))?;
    ack::acknowledge(tx, &d, &job.ack)
}

/// One job's outcome, before the batch commits.
enum Done {
    Ack(Result<Outcome, String>),
    Report(Result<Accepted, ReportFailed>),
    Staff(Result<LinkOutcome, Error>),
}

fn commit(store: &mut Store, secret: &[u8], batch: Vec<Work>) {
    let now = tamim_store::clock::now();
    let result = store.write(|tx| -> Result<Vec<Done>> {
        let mut outcomes = Vec::with_capacity(batch.len());
        for work in &batch {
            outcomes.push(match work {
                Work::Ack(job) => Done::Ack(tx.savepoint(|| one(tx, job)).map_err(|e| e.to_string())),
                Work::Report(r) => Done::Report(
                    tx.savepoint(|| report::accept(tx, secret, &r.body, r.signature.as_deref(), now))
                        .map_err(|e| match e {
                            Error::Report(refused) => ReportFailed::Refused(refused),
                            other => ReportFailed::Failed(other.to_string()),
                        }),
                ),
                Work::Staff(j) => Done::Staff(
                    tx.savepoint(|| delegate::acknowledge(tx, &j.link, &j.ip, &j.today, &tamim_store::now_text())),
                ),
            });
        }
        Ok(outcomes)
    });
    match result {
        Ok(outcomes) => {
            for (work, o) in batch.into_iter().zip(outcomes) {
                match (work, o) {
                    (Work::Ack(job), Done::Ack(o)) => {
                        let _ = job.reply.send(o);
                    }
                    (Work::Report(r), Done::Report(o)) => {
                        let _ = r.reply.send(o);
                    }
                    (Work::Staff(j), Done::Staff(o)) => {
                        let _ = j.reply.send(o);
                    }
                    _ => tracing::error!("a writer outcome out of its job's order"),
                }
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for work in batch {
                match work {
                    Work::Ack(job) => {
                        let _ = job.reply.send(Err(msg.clone()));
                    }
                    Work::Report(r) => {
                        let _ = r.reply.send(Err(ReportFailed::Failed(msg.clone())));
                    }
                    Work::Staff(j) => {
                        let _ = j.reply.send(Err(Error::runtime(
                            "the staff acknowledgement was not written",
                            std::io::Error::other(msg.clone()),
                        )));
                    }
                }
            }
        }
    }
}
