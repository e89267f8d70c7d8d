//! Reading, checking, merging, stamping and tagging existing PDF files (lopdf 0.47).
//!
//! Every entry point takes bytes and returns bytes or a [`PdfError`]; none panics on any input.
//! Loading is bounded (file size, per-stream decompression, total content scanned): see
//! `load.rs`. Output is deterministic: no clock, and the trailer /ID is a hash of the inputs.
//!
//! Code map: `inspect` (page count, text layer, Info strings), `merge` (append attachments'
//! pages), `stamp` (the receiving office's registration box), `tag` (Info entries such as the
//! verification code). Inside: `load` (bounded loading, deterministic saving), `copy` (copying
//! pages and what they reach between documents), `font` (measuring, subsetting and embedding
//! Liberation Serif with a ToUnicode map), `error`.
//!
//! Architecture invariant: nothing here knows about the registry, the terminal or files on
//! disk; only lopdf types are used inside, and only bytes cross the module boundary (so
//! printpdf's older lopdf never meets ours).

mod copy;
mod error;
mod font;
pub mod inspect;
mod load;
pub mod merge;
pub mod signature;
pub mod stamp;
pub mod tag;
#[cfg(test)]
mod testutil;

pub use error::PdfError;
pub use inspect::{inspect, PdfInfo};
pub use load::{MAX_INPUT_BYTES, MAX_PAGES, MAX_STREAM_BYTES};
// For `intake::text`: the same bounded loading when reading an incoming letter's text layer.
pub(crate) use load::{inherited, load as load_bounded, stream_content};
pub use merge::append;
pub use stamp::{stamp_registration, RegistrationStamp};
pub use tag::{get_info, set_info};

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
