//! Timelines handed from the thread that reads them out of SQLite to a thread that writes them: the
//! reader copies each row into reused buffers (batches of `BATCH`, a few in flight), so reading and
//! formatting run on two cores while every row still comes from the reader's one snapshot.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::error::{Error, Result};
use crate::store::deliveries::Delivery;
use crate::store::receipts::{Extra, TimelineEvent, TimelineRow};

const BATCH: usize = 1024;
/// Batches in flight: one being filled, one being written, one waiting.
const IN_FLIGHT: usize = 3;

/// One timeline copied out of the rows; its buffers are reused for the next.
#[derive(Default)]
struct Owned {
    delivery: Delivery<String>,
    office_id: Option<i64>,
    office_code: Option<String>,
    office_name: Option<String>,
    extra: Extra<String>,
    events: Vec<TimelineEvent>,
}

fn set(to: &mut String, from: &str) {
    to.clear();
    to.push_str(from);
}

fn set_opt(to: &mut Option<String>, from: Option<&str>) {
    match (to.as_mut(), from) {
        (Some(t), Some(f)) => set(t, f),
        (None, Some(f)) => *to = Some(f.to_string()),
        (_, None) => *to = None,
    }
}

impl Owned {
    fn copy(&mut self, t: &TimelineRow) {
        let (d, o) = (&t.delivery, &mut self.delivery);
        o.id = d.id;
        o.document_id = d.document_id;
        set(&mut o.recipient_kind, d.recipient_kind);
        set(&mut o.recipient_code, d.recipient_code);
        set(&mut o.name, d.name);
        set_opt(&mut o.email, d.email);
        set(&mut o.role, d.role);
        set(&mut o.path, d.path);
        set_opt(&mut o.cascade_kind, d.cascade_kind);
        set_opt(&mut o.cascade_text, d.cascade_text);
        set(&mut o.state, d.state);
        set_opt(&mut o.channel, d.channel);
        o.attempts = d.attempts;
        set_opt(&mut o.message_id, d.message_id);
        set_opt(&mut o.last_reply, d.last_reply);
        set_opt(&mut o.sent_at, d.sent_at);
        set_opt(&mut o.received_at, d.received_at);
        set_opt(&mut o.acknowledged_at, d.acknowledged_at);
        set_opt(&mut o.ack_by, d.ack_by);
        set_opt(&mut o.ack_method, d.ack_method);
        o.reminders = d.reminders;
        o.org_id = d.org_id;
        o.person_id = d.person_id;
        self.office_id = t.office_id;
        set_opt(&mut self.office_code, t.office_code);
        set_opt(&mut self.office_name, t.office_name);
        set_opt(&mut self.extra.recipient_kayit_no, t.extra.recipient_kayit_no);
        set_opt(&mut self.extra.recipient_kayit_date, t.extra.recipient_kayit_date);
        set_opt(&mut self.extra.state_reason, t.extra.state_reason);
        set_opt(&mut self.extra.last_reminded_at, t.extra.last_reminded_at);
        self.events.truncate(t.events.len());
        for (i, e) in t.events.iter().enumerate() {
            if i == self.events.len() {
                self.events.push(TimelineEvent::default());
            }
            let x = &mut self.events[i];
            x.seq = e.seq;
            x.delivery_id = e.delivery_id;
            set(&mut x.at, &e.at);
            set(&mut x.kind, &e.kind);
            set(&mut x.detail, &e.detail);
        }
    }

    fn view(&self) -> TimelineRow<'_> {
        TimelineRow {
            delivery: self.delivery.map(String::as_str),
            office_id: self.office_id,
            office_code: self.office_code.as_deref(),
            office_name: self.office_name.as_deref(),
            extra: self.extra.map(String::as_str),
            events: &self.events,
        }
    }
}

/// A filled batch: its rows and how many are in use.
type Batch = (Vec<Owned>, usize);

/// Run `read` (which calls its argument once per timeline, on this thread) and `write` (once per
/// timeline, in the same order, on a second thread). The first error of either is returned.
pub fn run<R, W>(read: R, mut write: W) -> Result<()>
where
    R: FnOnce(&mut dyn FnMut(&TimelineRow) -> Result<()>) -> Result<()>,
    W: FnMut(&TimelineRow) -> Result<()> + Send,
{
    let (full_tx, full_rx): (SyncSender<Batch>, Receiver<Batch>) = sync_channel(IN_FLIGHT);
    let (empty_tx, empty_rx): (SyncSender<Vec<Owned>>, Receiver<Vec<Owned>>) = sync_channel(IN_FLIGHT);
    for _ in 1..IN_FLIGHT {
        empty_tx.send(Vec::new()).expect("the receiver is here");
    }
    std::thread::scope(|s| {
        let writer = std::thread::Builder::new()
            .name("tamim-audit-write".into())
            .spawn_scoped(s, move || -> Result<()> {
                for (batch, n) in full_rx {
                    for t in &batch[..n] {
                        write(&t.view())?;
                    }
                    // The reader may have finished and stopped taking empty batches back.
                    let _ = empty_tx.send(batch);
                }
                Ok(())
            })
            .map_err(|e| Error::Conflict(format!("starting the audit's writing thread: {e}")))?;
        let stopped = || Error::Conflict("the audit's writing thread stopped".into());
        let mut batch: Vec<Owned> = Vec::new();
        let mut n = 0;
        let read_result = read(&mut |t| {
            if n == batch.len() {
                batch.push(Owned::default());
            }
            batch[n].copy(t);
            n += 1;
            if n == BATCH {
                full_tx.send((std::mem::take(&mut batch), n)).map_err(|_| stopped())?;
                batch = empty_rx.recv().map_err(|_| stopped())?;
                n = 0;
            }
            Ok(())
        });
        if read_result.is_ok() && n > 0 {
            let _ = full_tx.send((batch, n));
        }
        drop(full_tx);
        let write_result = writer.join().unwrap_or_else(|_| Err(Error::Conflict("the audit's writing thread panicked".into())));
        // A write error stops the reader too (its sends fail): report the writer's own error first.
        write_result.and(read_result)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, events: &[TimelineEvent]) -> TimelineRow<'_> {
        TimelineRow {
            delivery: Delivery { id, name: "Ayşe", email: (id % 2 == 0).then_some("a@example.org"), ..Default::default() },
            office_id: Some(id % 7),
            office_code: Some("ODA-1"),
            office_name: None,
            extra: Extra::default(),
            events,
        }
    }

    /// Reads `n` rows (each with `id % 3` events) and returns what the writer saw, in order.
    fn through(n: i64, fail_read_at: Option<i64>, fail_write_at: Option<i64>) -> (Result<()>, Vec<(i64, Option<String>, usize)>) {
        let mut seen = Vec::new();
        let r = run(
            |each| {
                let mut events = Vec::new();
                for id in 1..=n {
                    if Some(id) == fail_read_at {
                        return Err(Error::Conflict(format!("read failed at {id}")));
                    }
                    events.clear();
                    for k in 0..(id % 3) {
                        events.push(TimelineEvent { seq: k, delivery_id: id, at: format!("t{k}"), kind: "k".into(), detail: "{}".into() });
                    }
                    each(&row(id, &events))?;
                }
                Ok(())
            },
            |t| {
                if Some(t.delivery.id) == fail_write_at {
                    return Err(Error::Conflict(format!("write failed at {}", t.delivery.id)));
                }
                assert_eq!((t.delivery.name, t.office_code, t.office_name, t.office_id), ("Ayşe", Some("ODA-1"), None, Some(t.delivery.id % 7)));
                assert!(t.events.iter().all(|e| e.delivery_id == t.delivery.id));
                seen.push((t.delivery.id, t.delivery.email.map(str::to_string), t.events.len()));
                Ok(())
            },
        );
        (r, seen)
    }

    #[test]
    fn every_row_arrives_once_in_order_across_batches() {
        for n in [0, 1, BATCH as i64 - 1, BATCH as i64, BATCH as i64 + 1, 5 * BATCH as i64 + 17] {
            let (r, seen) = through(n, None, None);
            r.unwrap();
            let want: Vec<_> = (1..=n).map(|id| (id, (id % 2 == 0).then(|| "a@example.org".to_string()), (id % 3) as usize)).collect();
            assert_eq!(seen, want, "{n} rows");
        }
    }

    #[test]
    fn a_failure_on_either_side_is_the_error_returned() {
        let n = 4 * BATCH as i64;
        let (r, seen) = through(n, Some(2500), None);
        assert!(r.unwrap_err().to_string().contains("read failed at 2500"));
        // The report is abandoned: whole batches read before the failure may have been written, no more.
        assert!(seen.len() < 2500 && seen.iter().enumerate().all(|(i, s)| s.0 == i as i64 + 1), "{}", seen.len());
        let (r, seen) = through(n, None, Some(1500));
        assert!(r.unwrap_err().to_string().contains("write failed at 1500"));
        assert_eq!(seen.len(), 1499);
    }
}
