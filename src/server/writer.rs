//! The single writer of acknowledgements: one thread owning one connection with `synchronous = FULL`,
//! taking queued acknowledgements in batches — each a savepoint in one transaction, one fsync per batch
//! (group commit) — and answering every request only after its batch is on disk.
//!
//! Checkpoints are kept off the commit path: the writer's connection never checkpoints
//! (`wal_autocheckpoint = 0`; SQLite's automatic one runs inside the commit that crosses 1000 WAL pages
//! and stalled that batch for hundreds of milliseconds). A second thread with its own connection runs
//! `PRAGMA wal_checkpoint(PASSIVE)` every `CHECKPOINT_EVERY`, which never waits for the writer or readers.

use tokio::sync::{mpsc, oneshot};

use crate::ack::{self, Ack, Outcome};
use crate::error::{Error, Result};
use crate::store::{deliveries, Store};

/// Largest batch committed at once.
const MAX_BATCH: usize = 512;

/// How often the checkpointer copies committed WAL pages into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

pub struct Job {
    pub delivery: i64,
    pub ack: Ack,
    pub reply: oneshot::Sender<Result<Outcome, String>>,
}

/// Start the writer thread on the registry at `home`; returns the queue to send jobs to.
pub fn start(home: &std::path::Path) -> Result<mpsc::Sender<Job>> {
    let mut store = Store::open(home)?;
    store.conn.pragma_update(None, "synchronous", "FULL")?;
    store.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    let alive = checkpointer(home)?;
    let (tx, mut rx) = mpsc::channel::<Job>(4096);
    std::thread::Builder::new()
        .name("tamim-ack-writer".into())
        .spawn(move || {
            let _alive = alive; // the checkpointer stops when the writer does
            while let Some(first) = rx.blocking_recv() {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => batch.push(j),
                        Err(_) => break,
                    }
                }
                commit(&mut store, batch);
            }
        })
        .map_err(|e| Error::Conflict(format!("cannot start the acknowledgement writer: {e}")))?;
    Ok(tx)
}

/// Start the checkpointer thread; it runs until the returned sender is dropped, then checkpoints once more.
fn checkpointer(home: &std::path::Path) -> Result<std::sync::mpsc::Sender<()>> {
    let store = Store::open(home)?;
    store.conn.pragma_update(None, "synchronous", "FULL")?;
    let (alive, stop) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("tamim-checkpoint".into())
        .spawn(move || loop {
            let last = matches!(stop.recv_timeout(CHECKPOINT_EVERY), Err(std::sync::mpsc::RecvTimeoutError::Disconnected));
            if let Err(e) = crate::store::checkpoint(&store.conn) {
                eprintln!("checkpoint: {e}");
            }
            if last {
                break;
            }
        })
        .map_err(|e| Error::Conflict(format!("cannot start the checkpointer: {e}")))?;
    Ok(alive)
}

fn one(tx: &rusqlite::Transaction, job: &Job) -> Result<Outcome> {
    let d = deliveries::get(tx, job.delivery)?.ok_or_else(|| Error::not_found("delivery", job.delivery.to_string()))?;
    ack::acknowledge(tx, &d, &job.ack)
}

fn commit(store: &mut Store, batch: Vec<Job>) {
    let result = store.write(|tx| {
        let mut outcomes = Vec::with_capacity(batch.len());
        let run = |sql: &str| -> Result<()> {
            tx.prepare_cached(sql)?.execute([])?;
            Ok(())
        };
        for job in &batch {
            run("SAVEPOINT ack_job")?;
            match one(tx, job) {
                Ok(o) => {
                    run("RELEASE ack_job")?;
                    outcomes.push(Ok(o));
                }
                Err(e) => {
                    run("ROLLBACK TO ack_job")?;
                    run("RELEASE ack_job")?;
                    outcomes.push(Err(e.to_string()));
                }
            }
        }
        Ok(outcomes)
    });
    match result {
        Ok(outcomes) => {
            for (job, o) in batch.into_iter().zip(outcomes) {
                let _ = job.reply.send(o);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for job in batch {
                let _ = job.reply.send(Err(msg.clone()));
            }
        }
    }
}
