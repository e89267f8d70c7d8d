//! Each recipient's head (what a report writes before the recipient's events), kept in delivery order in
//! an anonymous temporary file while the summary that opens the report is still being counted and the
//! event log verified; read back in the same order to write the report.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, Write};

use crate::error::{Error, Result};

const BUF: usize = 1 << 20;

fn tmp(e: std::io::Error) -> Error {
    Error::io(std::env::temp_dir(), e)
}

/// Records of `[delivery id: 8 bytes][length: 4 bytes][head]`, little-endian.
pub struct Spool {
    file: BufWriter<File>,
}

impl Spool {
    pub fn new() -> Result<Spool> {
        Ok(Spool { file: BufWriter::with_capacity(BUF, tempfile::tempfile().map_err(tmp)?) })
    }

    pub fn push(&mut self, id: i64, head: &[u8]) -> Result<()> {
        let len = u32::try_from(head.len()).map_err(|_| Error::Conflict(format!("delivery {id}: a report line of {} bytes", head.len())))?;
        self.file.write_all(&id.to_le_bytes()).map_err(tmp)?;
        self.file.write_all(&len.to_le_bytes()).map_err(tmp)?;
        self.file.write_all(head).map_err(tmp)
    }

    /// Read back what was pushed to `spools`, one after the other, in order.
    pub fn read(spools: Vec<Spool>) -> Result<Heads> {
        let mut files = Vec::with_capacity(spools.len());
        for s in spools.into_iter().rev() {
            let mut f = s.file.into_inner().map_err(|e| tmp(e.into_error()))?;
            f.rewind().map_err(tmp)?;
            files.push(f);
        }
        Ok(Heads { files, buf: vec![0; BUF], start: 0, end: 0, head: 0..0, id: 0 })
    }
}

/// The heads read back, one at a time: after [`Heads::advance`] says there is one, `id` and
/// [`Heads::head`] are it. A head is handed out from the buffer it was read into, not copied.
pub struct Heads {
    /// The spools not yet read to their end, the next last.
    files: Vec<File>,
    /// Bytes read and not yet handed out are `buf[start..end]`.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    head: std::ops::Range<usize>,
    pub id: i64,
}

impl Heads {
    pub fn advance(&mut self) -> Result<bool> {
        if !self.fill(12)? {
            return Ok(false);
        }
        let fixed = &self.buf[self.start..self.start + 12];
        self.id = i64::from_le_bytes(fixed[..8].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(fixed[8..].try_into().expect("4 bytes")) as usize;
        self.start += 12;
        if !self.fill(len)? {
            return Err(Error::Conflict("a spooled report line was cut short".into()));
        }
        self.head = self.start..self.start + len;
        self.start += len;
        Ok(true)
    }

    /// The head `advance` moved to.
    pub fn head(&self) -> &[u8] {
        &self.buf[self.head.clone()]
    }

    /// Make at least `n` bytes of the current spool ready at `start`, moving on to the next spool when this
    /// one ends between records; false when all are read.
    fn fill(&mut self, n: usize) -> Result<bool> {
        while self.end - self.start < n {
            // Keep what is left at the front, with room for `n`.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.buf.len() < n {
                self.buf.resize(n.next_power_of_two(), 0);
            }
            let Some(file) = self.files.last_mut() else { return Ok(false) };
            let read = match file.read(&mut self.buf[self.end..]) {
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(tmp(e)),
            };
            if read == 0 {
                if self.end > 0 {
                    return Err(Error::Conflict("a spooled report line was cut short".into()));
                }
                self.files.pop();
            }
            self.end += read;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_come_back_in_order() {
        let mut spools: Vec<Spool> = (0..3).map(|_| Spool::new().unwrap()).collect();
        let heads: Vec<(i64, Vec<u8>)> = (0..5000).map(|i| (i * 3 - 7, "ı".repeat((i % 700) as usize).into_bytes())).collect();
        for (i, (id, h)) in heads.iter().enumerate() {
            // The first spool holds the first 1000, the second none, the third the rest.
            spools[if i < 1000 { 0 } else { 2 }].push(*id, h).unwrap();
        }
        let mut r = Spool::read(spools).unwrap();
        for (id, h) in &heads {
            assert!(r.advance().unwrap());
            assert_eq!((&r.id, r.head()), (id, &h[..]));
        }
        assert!(!r.advance().unwrap());
        // Heads longer than the buffer, between short ones.
        let mut spools: Vec<Spool> = (0..2).map(|_| Spool::new().unwrap()).collect();
        let heads: Vec<Vec<u8>> = [1, 3 * BUF + 5, 0, 7, BUF, BUF - 11].iter().map(|n| (0..*n).map(|i| (i % 251) as u8).collect()).collect();
        for (i, h) in heads.iter().enumerate() {
            spools[i / 3].push(i as i64, h).unwrap();
        }
        let mut r = Spool::read(spools).unwrap();
        for (i, h) in heads.iter().enumerate() {
            assert!(r.advance().unwrap());
            assert_eq!((r.id, r.head().len()), (i as i64, h.len()));
            assert!(r.head() == &h[..]);
        }
        assert!(!r.advance().unwrap());
        assert!(!Spool::read(vec![Spool::new().unwrap()]).unwrap().advance().unwrap());
        assert!(!Spool::read(Vec::new()).unwrap().advance().unwrap());
    }
}
