//! tamim's documents: `render` lays a letter out and draws it as a PDF; `pdf` reads, merges, stamps and
//! tags existing PDFs; `intake` reads an incoming letter's fields from its text layer and e-Yazışma packages.
//!
//! Architecture invariant: no database and no network; everything here is bytes in, bytes out.

pub mod intake;
pub mod pages;
pub mod pdf;
pub mod render;
