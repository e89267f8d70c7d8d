//! Each recipient's head (what a report writes before the recipient's events), kept in delivery order in
//! an anonymous temporary file while the summary that opens the report is still being counted and the
//! event log verified; read back in the same order to write the report.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

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

    /// Read back what was pushed, in order.
    pub fn read(self) -> Result<Heads> {
        let mut f = self.file.into_inner().map_err(|e| tmp(e.into_error()))?;
        f.rewind().map_err(tmp)?;
        Ok(Heads { file: BufReader::with_capacity(BUF, f), id: 0, head: Vec::new() })
    }
}

/// The heads read back, one at a time: after [`Heads::advance`] says there is one, `id` and `head` are it.
pub struct Heads {
    file: BufReader<File>,
    pub id: i64,
    pub head: Vec<u8>,
}

impl Heads {
    pub fn advance(&mut self) -> Result<bool> {
        let mut fixed = [0u8; 12];
        match self.file.read_exact(&mut fixed) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(tmp(e)),
        }
        let (id, len) = fixed.split_at(8);
        self.id = i64::from_le_bytes(id.try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
        self.head.resize(len, 0);
        self.file.read_exact(&mut self.head).map_err(tmp)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_come_back_in_order() {
        let mut s = Spool::new().unwrap();
        let heads: Vec<(i64, Vec<u8>)> = (0..5000).map(|i| (i * 3 - 7, "ı".repeat((i % 700) as usize).into_bytes())).collect();
        for (id, h) in &heads {
            s.push(*id, h).unwrap();
        }
        let mut r = s.read().unwrap();
        for (id, h) in &heads {
            assert!(r.advance().unwrap());
            assert_eq!((&r.id, &r.head), (id, h));
        }
        assert!(!r.advance().unwrap());
        assert!(!Spool::new().unwrap().read().unwrap().advance().unwrap());
    }
}
