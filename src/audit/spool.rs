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

    /// Read back what was pushed to `spools`, one after the other, in order.
    pub fn read(spools: Vec<Spool>) -> Result<Heads> {
        let mut files = Vec::with_capacity(spools.len());
        for s in spools.into_iter().rev() {
            let mut f = s.file.into_inner().map_err(|e| tmp(e.into_error()))?;
            f.rewind().map_err(tmp)?;
            files.push(BufReader::with_capacity(BUF, f));
        }
        Ok(Heads { files, id: 0, head: Vec::new() })
    }
}

/// The heads read back, one at a time: after [`Heads::advance`] says there is one, `id` and `head` are it.
pub struct Heads {
    /// The spools not yet read to their end, the next last.
    files: Vec<BufReader<File>>,
    pub id: i64,
    pub head: Vec<u8>,
}

impl Heads {
    pub fn advance(&mut self) -> Result<bool> {
        let mut fixed = [0u8; 12];
        loop {
            let Some(file) = self.files.last_mut() else { return Ok(false) };
            match file.read_exact(&mut fixed) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.files.pop();
                }
                Err(e) => return Err(tmp(e)),
            }
        }
        let (id, len) = fixed.split_at(8);
        self.id = i64::from_le_bytes(id.try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize;
        self.head.resize(len, 0);
        self.files.last_mut().expect("read from above").read_exact(&mut self.head).map_err(tmp)?;
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
            assert_eq!((&r.id, &r.head), (id, h));
        }
        assert!(!r.advance().unwrap());
        assert!(!Spool::read(vec![Spool::new().unwrap()]).unwrap().advance().unwrap());
        assert!(!Spool::read(Vec::new()).unwrap().advance().unwrap());
    }
}
