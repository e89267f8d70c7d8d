//! PAdES at the byte level: [`prepare`] appends an incremental update holding an invisible signature
//! field and its signature dictionary (`/SubFilter /ETSI.CAdES.detached`, `/ByteRange` over the whole
//! file but the `/Contents` hole), [`Prepared::finish`] puts the CMS into the hole; [`signatures`]
//! reads every signature dictionary of a file back with what its byte range covers. The CMS itself is
//! built and checked elsewhere (`tamim-sign`): only bytes cross this module.

use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, StringFormat};

use super::load;
use super::PdfError;

/// The room reserved for the CMS (bytes; twice as many hex digits): a chain of a few certificates and a
/// timestamp token with its own.
pub const RESERVED: usize = 16 * 1024;

/// Ten digits: as wide as any offset in a file under 10 GB, replaced in place once known.
const PLACEHOLDER: i64 = 9_999_999_999;

/// A PDF with an empty signature, waiting for its CMS.
#[derive(Debug, Clone)]
pub struct Prepared {
    bytes: Vec<u8>,
    /// Offsets of `<` and one past `>` of the `/Contents` hex string.
    hole: (usize, usize),
}

impl Prepared {
    /// The two signed pieces: before and after the hole.
    pub fn signed_ranges(&self) -> [&[u8]; 2] {
        [&self.bytes[..self.hole.0], &self.bytes[self.hole.1..]]
    }

    /// The signed file, with `cms` (DER) in the hole.
    pub fn finish(mut self, cms: &[u8]) -> Result<Vec<u8>, PdfError> {
        let room = (self.hole.1 - self.hole.0 - 2) / 2;
        if cms.len() > room {
            return Err(PdfError::Signature(format!(
                "the signature ({} bytes) does not fit the {room} bytes reserved for it",
                cms.len()
            )));
        }
        let hex = hex::encode_upper(cms);
        self.bytes[self.hole.0 + 1..self.hole.0 + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.bytes)
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `signed_at` is a PDF date (`D:20261203143000+00'00'`), written as the dictionary's `/M`.
/// An array entry (`/Fields`, `/Annots`) as its dictionary holds it, inline or by reference into `doc`;
/// empty when absent or not an array.
fn array_in(doc: &lopdf::Document, entry: Option<&Object>) -> Vec<Object> {
    match entry {
        Some(Object::Array(a)) => a.clone(),
        Some(Object::Reference(r)) => doc
            .get_object(*r)
            .ok()
            .and_then(|o| o.as_array().ok().cloned())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub fn prepare(pdf: &[u8], signed_at: &str) -> Result<Prepared, PdfError> {
    let doc = load::load(pdf)?;
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Corrupt("the trailer names no catalog".into()))?;
    let page_id = *doc
        .get_pages()
        .get(&1)
        .ok_or_else(|| PdfError::Corrupt("the document has no page".into()))?;
    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
    for id in [catalog_id, page_id] {
        inc.opt_clone_object_to_new_document(id).map_err(load::from_lopdf)?;
    }
    let prev = inc.get_prev_documents().clone();
    let new = &mut inc.new_document;

    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(b"Sig".to_vec()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    sig.set(
        "ByteRange",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(PLACEHOLDER),
            Object::Integer(PLACEHOLDER),
            Object::Integer(PLACEHOLDER),
        ]),
    );
    sig.set("Contents", Object::String(vec![0; RESERVED], StringFormat::Hexadecimal));
    sig.set(
        "M",
        Object::String(signed_at.as_bytes().to_vec(), StringFormat::Literal),
    );
    let sig_id = new.add_object(Object::Dictionary(sig));

    // The acroform: the catalog's own (direct or referenced), or a new one.
    let (form_id, mut form): (Option<ObjectId>, Dictionary) = match new
        .get_dictionary(catalog_id)
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .cloned()
    {
        Some(Object::Reference(r)) => (Some(r), prev.get_dictionary(r).cloned().unwrap_or_default()),
        Some(Object::Dictionary(d)) => (None, d),
        _ => (None, Dictionary::new()),
    };
    let mut fields = array_in(&prev, form.get(b"Fields").ok());
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", Object::string_literal(format!("Imza{}", fields.len() + 1)));
    widget.set("V", Object::Reference(sig_id));
    // Invisible (zero rectangle), printable and locked.
    widget.set("F", Object::Integer(132));
    widget.set("Rect", Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]));
    widget.set("P", Object::Reference(page_id));
    let widget_id = new.add_object(Object::Dictionary(widget));
    fields.push(Object::Reference(widget_id));
    form.set("Fields", Object::Array(fields));
    form.set("SigFlags", Object::Integer(3));
    let form_obj = match form_id {
        Some(id) => {
            new.set_object(id, Object::Dictionary(form));
            Object::Reference(id)
        }
        None => Object::Dictionary(form),
    };
    new.get_dictionary_mut(catalog_id)
        .map_err(load::from_lopdf)?
        .set("AcroForm", form_obj);

    let page = new.get_dictionary_mut(page_id).map_err(load::from_lopdf)?;
    let mut annots = array_in(&prev, page.get(b"Annots").ok());
    annots.push(Object::Reference(widget_id));
    page.set("Annots", Object::Array(annots));

    let mut bytes = Vec::with_capacity(pdf.len() + 2 * RESERVED + 2048);
    inc.save_to(&mut bytes)
        .map_err(|e| PdfError::Signature(format!("writing the incremental update: {e}")))?;

    // Where the hole and the byte range are, in what was appended.
    let appended = pdf.len();
    // The signature dictionary keeps its keys in order: /ByteRange, then /Contents (the page written
    // before it has a /Contents of its own).
    let at_range =
        find(&bytes, b"/ByteRange", appended).ok_or_else(|| PdfError::Signature("no /ByteRange written".into()))?;
    let at_contents =
        find(&bytes, b"/Contents", at_range).ok_or_else(|| PdfError::Signature("no /Contents written".into()))?;
    let start = find(&bytes, b"<", at_contents).ok_or_else(|| PdfError::Signature("no /Contents string".into()))?;
    let end = find(&bytes, b">", start).ok_or_else(|| PdfError::Signature("an open /Contents string".into()))? + 1;
    if end - start != 2 * RESERVED + 2 {
        return Err(PdfError::Signature(
            "the /Contents placeholder was not written as reserved".into(),
        ));
    }
    let open = find(&bytes, b"[", at_range).ok_or_else(|| PdfError::Signature("no /ByteRange array".into()))?;
    let close = find(&bytes, b"]", open).ok_or_else(|| PdfError::Signature("an open /ByteRange array".into()))?;
    let range = format!("0 {start} {end} {}", bytes.len() - end);
    let width = close - open - 1;
    if range.len() > width {
        return Err(PdfError::Signature(
            "the byte range does not fit its placeholder".into(),
        ));
    }
    bytes[open + 1..close].copy_from_slice(format!("{range:<width$}").as_bytes());
    Ok(Prepared {
        bytes,
        hole: (start, end),
    })
}

/// One signature dictionary found in a file.
#[derive(Debug, Clone)]
pub struct PdfSignature {
    /// The field's name (`/T`), when a field points to it.
    pub field: Option<String>,
    pub sub_filter: String,
    /// `/ByteRange` as written.
    pub byte_range: Vec<i64>,
    /// `/Contents`, decoded (the CMS, zero-padded).
    pub contents: Vec<u8>,
    /// `/M`, as written.
    pub time: Option<String>,
    /// The range starts at 0 and its hole is exactly the `/Contents` string.
    pub well_formed: bool,
    /// Bytes in the file after the range's end (an incremental update appended later); negative: the
    /// file is shorter than the range says (truncated).
    pub after: i64,
}

impl PdfSignature {
    /// The signed bytes of `pdf` (empty when the range does not fit the file).
    pub fn signed<'a>(&self, pdf: &'a [u8]) -> Vec<&'a [u8]> {
        let r = &self.byte_range;
        let piece =
            |o: i64, l: i64| -> Option<&'a [u8]> { pdf.get(usize::try_from(o).ok()?..usize::try_from(o + l).ok()?) };
        match (r.len(), piece(r[0], r[1]), r.get(2).and_then(|_| piece(r[2], r[3]))) {
            (4, Some(a), Some(b)) => vec![a, b],
            _ => Vec::new(),
        }
    }
}

fn text(o: &Object) -> Option<String> {
    match o {
        Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// Every signature dictionary in `pdf` (a damaged or truncated file is a [`PdfError`]).
pub fn signatures(pdf: &[u8]) -> Result<Vec<PdfSignature>, PdfError> {
    let doc = load::load(pdf)?;
    let mut names: Vec<(ObjectId, String)> = Vec::new();
    for obj in doc.objects.values() {
        if let Ok(d) = obj.as_dict() {
            if let (Ok(Object::Reference(v)), Some(t)) = (d.get(b"V"), d.get(b"T").ok().and_then(text)) {
                names.push((*v, t));
            }
        }
    }
    let mut out = Vec::new();
    for (id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        let (Ok(range), Ok(Object::String(contents, _))) =
            (d.get(b"ByteRange").and_then(Object::as_array), d.get(b"Contents"))
        else {
            continue;
        };
        let byte_range: Vec<i64> = range.iter().filter_map(|o| o.as_i64().ok()).collect();
        let len = pdf.len() as i64;
        let (well_formed, after) = match byte_range[..] {
            [0, b, c, l] if b > 0 && c > b && l >= 0 => {
                let hole = pdf.get(b as usize..(c as usize).min(pdf.len())).unwrap_or_default();
                let ok = hole.len() == (c - b) as usize
                    && hole.first() == Some(&b'<')
                    && hole.last() == Some(&b'>')
                    && hole[1..hole.len() - 1].iter().all(u8::is_ascii_hexdigit);
                (ok, len - (c + l))
            }
            _ => (false, 0),
        };
        out.push(PdfSignature {
            field: names.iter().find(|(v, _)| v == id).map(|(_, t)| t.clone()),
            sub_filter: d
                .get(b"SubFilter")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default(),
            byte_range,
            contents: contents.clone(),
            time: d.get(b"M").ok().and_then(text),
            well_formed,
            after,
        });
    }
    out.sort_by_key(|s| s.byte_range.get(1).copied().unwrap_or_default());
    Ok(out)
}
