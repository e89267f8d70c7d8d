//! `tamim receive FILE.eyp`: register an e-Yazışma package's cover letter from its metadata.

use super::receive::ReceiveArgs;
use super::{Cli, Out};

pub fn run(_cli: &Cli, _out: &Out, a: &ReceiveArgs) -> tamim::Result<()> {
    Err(tamim::Error::file(&a.file, "e-Yazışma packages are not read yet"))
}
