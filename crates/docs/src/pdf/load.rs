//! Loading untrusted PDF bytes within fixed bounds, and saving documents deterministically.

use lopdf::xref::XrefType;
use lopdf::{DecompressError, Dictionary, Document, Error, LoadOptions, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfError;

/// The largest PDF file accepted, in bytes (256 MiB).
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
/// The most bytes any single stream may decompress to (32 MiB). Page content, object and
/// cross-reference streams of real letters are kilobytes; images are never decoded here.
pub const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;
/// The most pages a document may have (a page tree claiming more is treated as damaged).
pub const MAX_PAGES: usize = 100_000;
/// How deep a page tree or object graph is followed before giving up.
pub(crate) const MAX_DEPTH: usize = 64;

/// Checks the cheap things first (size, header, end marker), then parses with lopdf under
/// [`MAX_STREAM_BYTES`]. lopdf decodes object and cross-reference streams while loading and
/// leaves content streams compressed until asked, so this bounds the load itself; callers that
/// read content use [`stream_content`] with the same bound.
pub(crate) fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Empty);
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(PdfError::TooLarge {
            what: format!("the file ({} bytes)", bytes.len()),
            limit: MAX_INPUT_BYTES as u64,
        });
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Corrupt(
            "the file has no end-of-file marker (%%EOF) near its end; it is probably truncated".into(),
        ));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    // lopdf is not expected to panic on bad input; if a crafted file finds a way, it is
    // reported as damage rather than taking the process down.
    let doc = std::panic::catch_unwind(|| Document::load_mem_with_options(bytes, options))
        .map_err(|_| PdfError::Corrupt("the PDF parser gave up on this file".into()))?
        .map_err(from_lopdf)?;
    if doc.trailer.has(b"Encrypt") {
        // lopdf opens a file whose user password is empty; anything else stays locked.
        return Err(PdfError::Encrypted);
    }
    check_page_tree(&doc)?;
    Ok(doc)
}

/// Maps a lopdf error to ours, keeping its cause in the message.
pub(crate) fn from_lopdf(e: Error) -> PdfError {
    match e {
        Error::Decompress(DecompressError::MemoryLimitExceeded { limit }) => PdfError::TooLarge {
            what: "a compressed stream, once decompressed,".into(),
            limit: limit as u64,
        },
        Error::InvalidPassword
        | Error::Decryption(_)
        | Error::UnsupportedSecurityHandler(_)
        | Error::AlreadyEncrypted => PdfError::Encrypted,
        other => {
            let mut msg = other.to_string();
            let mut source = std::error::Error::source(&other);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            PdfError::Corrupt(msg)
        }
    }
}

/// The page tree must lead to at least one page, every page must be a dictionary, and the
/// root's /Count must not promise more pages than can be read (a truncated tree is damage,
/// not a short file).
fn check_page_tree(doc: &Document) -> Result<(), PdfError> {
    let catalog = doc
        .catalog()
        .map_err(|e| PdfError::Corrupt(format!("no document catalog ({e})")))?;
    let root = catalog
        .get(b"Pages")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .map_err(|_| PdfError::Corrupt("the catalog has no readable page tree".into()))?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Corrupt("the page tree holds no pages".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooLarge {
            what: format!("the page tree ({} pages)", pages.len()),
            limit: MAX_PAGES as u64,
        });
    }
    for (n, id) in &pages {
        if doc.get_dictionary(*id).is_err() {
            return Err(PdfError::Corrupt(format!(
                "page {n} (object {} {}) is missing",
                id.0, id.1
            )));
        }
    }
    if let Ok(count) = root.get(b"Count").and_then(Object::as_i64) {
        // More pages than /Count claims is a harmless writer slip; fewer means pages are lost.
        if count > pages.len() as i64 {
            return Err(PdfError::Corrupt(format!(
                "the page tree says it has {count} pages but {} can be read",
                pages.len()
            )));
        }
    }
    Ok(())
}

/// The decoded bytes of a stream object, bounded by `limit`.
pub(crate) fn stream_content(stream: &lopdf::Stream, limit: usize) -> Result<Vec<u8>, PdfError> {
    stream.get_plain_content_with_limit(limit).map_err(from_lopdf)
}

/// Follows a page's /Parent chain for an inheritable attribute (Resources, MediaBox, CropBox,
/// Rotate), returning the first value found, references left as they are.
pub(crate) fn inherited(doc: &Document, page: &Dictionary, key: &[u8]) -> Option<Object> {
    if let Ok(v) = page.get(key) {
        return Some(v.clone());
    }
    let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
    let mut depth = 0;
    while let Some(id) = parent {
        depth += 1;
        if depth > MAX_DEPTH {
            return None;
        }
        let node = doc.get_dictionary(id).ok()?;
        if let Ok(v) = node.get(key) {
            return Some(v.clone());
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok();
    }
    None
}

/// A rectangle `[llx lly urx ury]`, normalised so that `ll < ur`.
pub(crate) fn rect(doc: &Document, obj: &Object) -> Option<[f32; 4]> {
    let (_, obj) = doc.dereference(obj).ok()?;
    let arr = obj.as_array().ok()?;
    if arr.len() != 4 {
        return None;
    }
    let mut v = [0f32; 4];
    for (slot, item) in v.iter_mut().zip(arr) {
        let (_, item) = doc.dereference(item).ok()?;
        *slot = item.as_float().ok()?;
        if !slot.is_finite() {
            return None;
        }
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

/// Writes `doc` with a fresh trailer (Root, Info, and an /ID derived from `id_seed`, never from
/// the clock) and a classic cross-reference table, so the same input gives the same bytes.
pub(crate) fn save(doc: &mut Document, id_seed: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut trailer = Dictionary::new();
    if let Ok(root) = doc.trailer.get(b"Root") {
        trailer.set("Root", root.clone());
    }
    if let Ok(info) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    let digest = Sha256::digest(id_seed);
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    trailer.set("ID", vec![id.clone(), id]);
    doc.trailer = trailer;
    doc.encryption_state = None;
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    doc.objects
        .retain(|_, o| !matches!(o.type_name(), Ok(b"ObjStm") | Ok(b"XRef")));
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::Corrupt(format!("could not write the PDF: {e}")))?;
    Ok(out)
}

/// A seed for [`save`]'s /ID: the inputs' bytes and the operation's parameters, hashed.
pub(crate) fn id_seed(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().to_vec()
}

/// Allocates a new object id in `doc`, as an error instead of a panic at the id ceiling.
pub(crate) fn add(doc: &mut Document, obj: impl Into<Object>) -> Result<ObjectId, PdfError> {
    doc.try_add_object(obj).map_err(|e| PdfError::Corrupt(e.to_string()))
}
