//! The single writer of acknowledgements: one thread owning one connection with `synchronous = FULL`,
//! taking queued acknowledgements in batches — each a savepoint in one transaction, one fsync per batch
//! (group commit) — and answering every request only after its batch is on disk.
//!
//! Checkpoints are kept off the commit path: the writer's connection never checkpoints
//! (`wal_autocheckpoint = 0`; SQLite's automatic one runs inside the commit that crosses 1000 WAL pages
//! and stalled that batch for hundreds of milliseconds). A second thread with its own connection runs
//! `PRAGMA wal_checkpoint(PASSIVE)` every 250 ms, which never waits for the writer or readers
//! (`store::Checkpointer`).

use tokio::sync::{mpsc, oneshot};

use tamim_app::ack::{self, Ack, Outcome};
use tamim_app::error::{Error, Result};
use tamim_store::{deliveries, Store};

/// Largest batch committed at once.
const MAX_BATCH: usize = 512;

pub struct Job {
    pub delivery: i64,
    pub ack: Ack,
    pub reply: oneshot::Sender<Result<Outcome, String>>,
}

/// Start the writer thread on the registry at `home`; returns the queue to send jobs to, and the thread, which
/// ends once every sender is dropped and the jobs queued are committed.
pub fn start(home: &std::path::Path) -> Result<(mpsc::Sender<Job>, std::thread::JoinHandle<()>)> {
    let mut store = Store::open(home)?;
    store.strict_commits()?;
    let checkpoints = store.checkpoint_off_thread()?;
    let (tx, mut rx) = mpsc::channel::<Job>(4096);
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
                commit(&mut store, batch);
            }
        })
        .map_err(|e| Error::runtime("cannot start the acknowledgement writer", e))?;
    Ok((tx, thread))
}

fn one(tx: &tamim_store::Tx, job: &Job) -> Result<Outcome> {
    let d = deliveries::get(tx, job.delivery)?.ok_or_else(|| Error::not_found("delivery", job.delivery.to_string()))?;
    ack::acknowledge(tx, &d, &job.ack)
}

fn commit(store: &mut Store, batch: Vec<Job>) {
    let result = store.write(|tx| -> Result<Vec<Result<Outcome, String>>> {
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in &batch {
            match tx.savepoint(|| one(tx, job)) {
                Ok(o) => outcomes.push(Ok(o)),
                Err(e) => outcomes.push(Err(e.to_string())),
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
