//! Issuing: a draft becomes a numbered, frozen outgoing document — the sayı and the kind's yearly number taken
//! in the same transaction that records it, the letter rendered from its template, the attachments appended,
//! the file stored with its SHA-256 and verification code. A failure uses up no number and leaves no file.

pub mod context;
pub mod draft;
pub mod forward;
pub mod sign;
pub mod verify;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tamim_store::Conn;

use crate::config::SayiStyle;
use crate::error::{Error, Result};
use crate::registry::document::{AttachmentRow, CitationRow, NewDocument};
use crate::registry::home::{sha256_hex, write_atomic, write_output, Registry};
use crate::registry::{ilgi, list::Role};
use draft::Draft;
use tamim_core::turkish::{self, Sayi};
use tamim_core::TemplateSet;
use tamim_store as store;

#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub id: Option<i64>,
    pub sayi: String,
    pub kind_no: String,
    pub tarih: String,
    pub konu: String,
    pub pages: usize,
    pub sha256: String,
    pub verification: Option<String>,
    pub file: PathBuf,
    pub preview: bool,
    /// Who signed it (the certificate's common name) and when, when issued with `--sign`.
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    /// The signature carries a timestamp (PAdES B-T).
    pub timestamped: bool,
}

/// The attachments resolved: what is printed, what is appended.
struct Resolved {
    ilgi_rows: Vec<CitationRow>,
    ek_rows: Vec<AttachmentRow>,
    ek_bytes: Vec<Vec<u8>>,
    dagitim: Option<(Vec<String>, Vec<String>)>,
}

fn resolve(conn: &Conn, reg: &Registry, d: &Draft, draft_dir: &Path) -> Result<Resolved> {
    let mut ilgi_rows = Vec::new();
    for (i, g) in d.ilgi.iter().enumerate() {
        let field = format!("ilgi[{}]", i + 1);
        let row = match (&g.doc, &g.text) {
            (Some(doc), text) => {
                let id =
                    crate::registry::document::resolve(conn, doc).map_err(|e| Error::invalid(&field, e.to_string()))?;
                let target = store::documents::get(conn, id)?;
                match text {
                    // The citation as printed, linked to the document, flagged where it disagrees.
                    Some(t) => {
                        let c = turkish::parse_citation(t);
                        let mut row = ilgi::match_citation(conn, t.clone(), c.date, c.sayi)?;
                        if row.target != Some(id) {
                            row.target = Some(id);
                            row.target_sayi = target.sayi.clone();
                            if let Some(cd) = c.date.filter(|cd| *cd != target.tarih) {
                                row.discrepancy = Some(format!(
                                    "ilgide {} tarihli olarak anılıyor, oysa #{id} belgesinin tarihi {}",
                                    turkish::format_dotted(cd),
                                    turkish::format_dotted(target.tarih)
                                ));
                            }
                        }
                        row
                    }
                    None => ilgi::resolve(conn, &format!("#{id}"))?,
                }
            }
            (None, Some(t)) => ilgi::resolve(conn, t).map_err(|e| Error::invalid(&field, e.to_string()))?,
            (None, None) => return Err(Error::invalid(&field, "needs doc or text")),
        };
        ilgi_rows.push(row);
    }
    let mut ek_rows = Vec::new();
    let mut ek_bytes = Vec::new();
    for (i, e) in d.ek.iter().enumerate() {
        let field = format!("ek[{}]", i + 1);
        let (bytes, target, path_label) = match (&e.doc, &e.file) {
            (Some(doc), None) => {
                let id = crate::registry::document::resolve(conn, doc)
                    .map_err(|err| Error::invalid(&field, err.to_string()))?;
                let t = store::documents::get(conn, id)?;
                let sha =
                    t.stamped_file.clone().or(t.file.clone()).ok_or_else(|| {
                        Error::invalid(&field, format!("document #{id} has no stored file to attach"))
                    })?;
                (Some(reg.read_file(&sha)?), Some(id), format!("document #{id}"))
            }
            (None, Some(f)) => {
                let p = draft_dir.join(f);
                let b =
                    crate::registry::receive::read_pdf(&p).map_err(|err| Error::invalid(&field, err.to_string()))?;
                (Some(b), None, p.display().to_string())
            }
            _ => (None, None, String::new()),
        };
        let pages = match &bytes {
            Some(b) => {
                let info = tamim_docs::pdf::inspect(b)
                    .map_err(|err| Error::invalid(&field, format!("{path_label}: {err}")))?;
                if let Some(stated) = crate::registry::receive::stated_pages(&e.text) {
                    if stated != info.pages as i64 {
                        return Err(Error::invalid(
                            &field,
                            format!("says {stated} sayfa but {path_label} has {} pages", info.pages),
                        ));
                    }
                }
                Some(info.pages as i64)
            }
            None => crate::registry::receive::stated_pages(&e.text),
        };
        let file = bytes.as_ref().map(|b| sha256_hex(b));
        ek_rows.push(AttachmentRow {
            description: e.text.clone(),
            target,
            file,
            pages,
        });
        if let Some(b) = bytes {
            ek_bytes.push(b);
        }
    }
    for l in &d.to {
        store::lists::id_of(conn, l).map_err(|e| Error::invalid("to", e.to_string()))?;
    }
    let dagitim = if !d.print_dagitim {
        None
    } else if let Some(x) = &d.dagitim {
        Some((x.gereği.clone(), x.bilgi.clone()))
    } else {
        let (mut g, mut b) = (Vec::new(), Vec::new());
        for l in &d.to {
            let id = store::lists::id_of(conn, l)?;
            for m in store::lists::members(conn, id)? {
                match m.role {
                    Role::Gereği => g.push(m.display_text()),
                    Role::Bilgi => b.push(m.display_text()),
                }
            }
        }
        Some((g, b))
    };
    Ok(Resolved {
        ilgi_rows,
        ek_rows,
        ek_bytes,
        dagitim,
    })
}

/// The printed sayı for record number `n` in the office's style: `4516`, `E-85840981-167.01-122254`,
/// `25346381.010.06/53064`.
pub fn format_sayi(style: SayiStyle, detsis: &str, sdp: &str, n: i64) -> String {
    match style {
        SayiStyle::Plain => n.to_string(),
        SayiStyle::Eyazisma => format!("E-{detsis}-{sdp}-{n}"),
        SayiStyle::Dotted => format!("{detsis}.{sdp}/{n}"),
    }
}

/// The verification code a preview shows: as long as a real one ([`verification_code`]'s five groups of five).
pub const PREVIEW_CODE: &str = "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX";

/// A verification code derived with the registry's secret from what was issued (same registry and input,
/// same code; another registry, another code): five groups of five.
fn verification_code(secret: &[u8], office: &str, sayi: &str, tarih: NaiveDate, pdf_sha: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let h = tamim_core::token::verification_mac(secret, &format!("{office}\0{sayi}\0{tarih}\0{pdf_sha}"));
    let chars: Vec<char> = h
        .iter()
        .take(25)
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The file name in output/: a kind numbered by its own yearly number by that (`tamim-2021-243.pdf`), others by sayı.
fn output_name(kind: tamim_core::DocumentKind, kind_no: &str, sayi: &str) -> String {
    let base = if kind.numbered_by_kind() { kind_no } else { sayi };
    let fold = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'ç' | 'Ç' => 'c',
                'ğ' | 'Ğ' => 'g',
                'ı' | 'İ' => 'i',
                'ö' | 'Ö' => 'o',
                'ş' | 'Ş' => 's',
                'ü' | 'Ü' => 'u',
                c if c.is_ascii_alphanumeric() || c == '.' || c == '-' => c,
                _ => '-',
            })
            .collect()
    };
    format!("{}-{}.pdf", fold(kind.as_str()), fold(base))
}

/// How to issue.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only render, marked TASLAK, numbering and recording nothing.
    pub preview: bool,
    /// Sign with `[signing.key]` (PAdES): a failure to sign fails the issue.
    pub sign: bool,
}

/// Issue (or with `preview`, only render) the draft at `path`, unsigned.
pub fn issue(reg: &mut Registry, path: &Path, output: &Path, preview: bool) -> Result<Issued> {
    issue_with(reg, path, output, Options { preview, sign: false })
}

/// Issue the draft at `path` as `options` say.
pub fn issue_with(reg: &mut Registry, path: &Path, output: &Path, options: Options) -> Result<Issued> {
    let draft_text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let draft_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let source = Source {
        text: &draft_text,
        dir: &draft_dir,
        label: path,
    };
    issue_source(reg, &source, output, options, &|_, _| Ok(()))
}

/// A draft's TOML as issuing reads it: from a file (`tamim issue FILE`) or from the registry's own drafts
/// (the approval chain's signing step, `approval::sign`).
pub struct Source<'a> {
    pub text: &'a str,
    /// Where a `[[ek]] file = …` is looked for.
    pub dir: &'a Path,
    /// How errors name the draft (its path, or `taslak #12`); a preview's file is named after its stem.
    pub label: &'a Path,
}

/// What the caller records in the issuing transaction itself, after the document (the approval chain marks
/// its draft signed): an error undoes the whole issue, numbers included.
pub type OnRecord<'a> = &'a dyn Fn(&store::Tx, &Issued) -> Result<()>;

/// Issue (or preview) the draft `source` as `options` say; `on_record` runs inside the issuing transaction.
pub fn issue_source(
    reg: &mut Registry,
    source: &Source,
    output: &Path,
    options: Options,
    on_record: OnRecord,
) -> Result<Issued> {
    let preview = options.preview;
    let (draft_text, path, draft_dir) = (source.text, source.label, source.dir.to_path_buf());
    let d = Draft::parse(draft_text).map_err(|e| match e {
        Error::Domain(tamim_core::Error::Invalid { problem, .. }) => {
            Error::invalid(path.display().to_string(), problem)
        }
        other => other,
    })?;
    d.validate()?;
    let draft_sha = sha256_hex(draft_text.as_bytes());
    let tarih = match &d.tarih {
        Some(t) => turkish::parse_date(t).map_err(|e| Error::bad_date("tarih", e))?,
        None => chrono::Local::now().date_naive(),
    };
    let tdir = crate::templates::load(&reg.home, crate::templates::Folder::Documents)?;
    let office_ctx = context::office(&reg.config);

    if preview {
        let r = resolve(&reg.store.conn, reg, &d, &draft_dir)?;
        // The footer's verification and e-signature lines (and the QR code) are drawn as when issuing, with a
        // placeholder code of the same length: the preview lays out exactly as the issued document will.
        let url = format!("{}/dogrula", reg.config.office.base_url.trim_end_matches('/'));
        let numbers = context::Numbers {
            sayi: "TASLAK".into(),
            kind_no: "TASLAK".into(),
            verification: Some((PREVIEW_CODE.into(), url)),
            signed: options.sign,
        };
        let ilgi_text: Vec<String> = r.ilgi_rows.iter().map(|c| c.text.clone()).collect();
        let ctx = serde_json::json!({"office": office_ctx, "doc": context::doc(&d, tarih, &numbers, &ilgi_text, r.dagitim.clone(), true)});
        let bytes = render_and_merge(&tdir, &d.template, &ctx, &r.ek_bytes, options.sign)?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "draft".into());
        let file = output.join(format!("preview-{stem}.pdf"));
        write_output(&file, &bytes, reg.config.modes())?;
        let pages = tamim_docs::pdf::inspect(&bytes).map(|i| i.pages).unwrap_or(0);
        return Ok(Issued {
            id: None,
            sayi: numbers.sayi,
            kind_no: numbers.kind_no,
            tarih: tarih.to_string(),
            konu: d.konu,
            pages,
            sha256: sha256_hex(&bytes),
            verification: None,
            file,
            preview: true,
            signed_by: None,
            signed_at: None,
            timestamped: false,
        });
    }

    // Resolve against the registry (reads only), then take the numbers and record the document in one transaction.
    let r = resolve(&reg.store.conn, reg, &d, &draft_dir)?;
    // The key is opened and its certificate checked before any number is taken.
    let signing = if options.sign {
        Some(sign::Signing::open(
            &reg.home,
            &reg.config.signing,
            sign::issue_time()?,
        )?)
    } else {
        None
    };
    issue_in_one_transaction(
        reg,
        &d,
        &draft_sha,
        tarih,
        r,
        &tdir,
        office_ctx,
        output,
        path,
        signing.as_ref(),
        on_record,
    )
}

fn render_and_merge(
    tdir: &TemplateSet,
    template: &str,
    ctx: &serde_json::Value,
    attachments: &[Vec<u8>],
    signed: bool,
) -> Result<Vec<u8>> {
    let letter = tamim_docs::render::render_template(tdir, template, ctx)?;
    sign::check_statement(&letter, signed)?;
    let pdf = tamim_docs::render::render(&letter).map_err(|e| Error::invalid("draft", e.to_string()))?;
    if attachments.is_empty() {
        return Ok(pdf);
    }
    let refs: Vec<&[u8]> = attachments.iter().map(Vec::as_slice).collect();
    tamim_docs::pdf::append(&pdf, &refs).map_err(|e| Error::invalid("ek", e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn issue_in_one_transaction(
    reg: &mut Registry,
    d: &Draft,
    draft_sha: &str,
    tarih: NaiveDate,
    r: Resolved,
    tdir: &TemplateSet,
    office_ctx: serde_json::Value,
    output: &Path,
    path: &Path,
    signing: Option<&sign::Signing>,
    on_record: OnRecord,
) -> Result<Issued> {
    let office_name = reg.config.office.name.clone();
    let modes = reg.config.modes();
    let office_code = reg.config.office.code.clone();
    let base_url = reg.config.office.base_url.trim_end_matches('/').to_string();
    let sayi_style = (
        reg.config.office.detsis.clone().unwrap_or_default(),
        reg.config.numbering.sdp.clone(),
        reg.config.numbering.sayi_style,
    );
    // The registry's secret, read (or made) before any number is taken: the verification code is derived with it.
    let secret = crate::distribution::token::secret(&reg.home)?;
    let files_dir = reg.files_dir();
    let mut written: Vec<PathBuf> = Vec::new();
    let result = reg.store.write(|tx| {
        if let Some((id, sayi)) = store::documents::issued_from_draft(tx, draft_sha)? {
            return Err(Error::AlreadyIssued { draft: path.to_path_buf(), id, sayi });
        }
        // The numbers are taken inside the transaction that records the document: a failure gives them back.
        let year = tarih.year();
        let n = store::counters::next(tx, "sayi", year)?;
        let k = store::counters::next(tx, &format!("kind:{}", d.kind), year)?;
        let sayi = format_sayi(sayi_style.2, &sayi_style.0, &sayi_style.1, n);
        let kind_no = format!("{year}/{k}");
        // The verification code covers the letter as drawn without it, so it is stable for the same input.
        let probe = context::Numbers { sayi: sayi.clone(), kind_no: kind_no.clone(), verification: None, signed: signing.is_some() };
        let ilgi_text: Vec<String> = r.ilgi_rows.iter().map(|c| c.text.clone()).collect();
        let ctx0 = serde_json::json!({"office": office_ctx, "doc": context::doc(d, tarih, &probe, &ilgi_text, r.dagitim.clone(), false)});
        let code = verification_code(&secret, &office_code, &sayi, tarih, &sha256_hex(ctx0.to_string().as_bytes()));
        let url = format!("{base_url}/dogrula");
        let numbers = context::Numbers { sayi: sayi.clone(), kind_no: kind_no.clone(), verification: Some((code.clone(), url)), signed: signing.is_some() };
        let ctx = serde_json::json!({"office": office_ctx, "doc": context::doc(d, tarih, &numbers, &ilgi_text, r.dagitim.clone(), false)});
        let merged = render_and_merge(tdir, &d.template, &ctx, &r.ek_bytes, signing.is_some())?;
        let tagged = tamim_docs::pdf::set_info(&merged, &[("TamimVerification", &code), ("TamimSayi", &sayi), ("TamimOffice", &office_code)])
            .map_err(|e| Error::invalid("pdf", e.to_string()))?;
        // Signed last: the signature covers the whole file as it is stored and handed out.
        let bytes = match signing {
            Some(s) => s.sign_pdf(&tagged)?,
            None => tagged,
        };
        let pages = tamim_docs::pdf::inspect(&bytes).map_err(|e| Error::invalid("pdf", e.to_string()))?.pages;
        let sha = sha256_hex(&bytes);
        // Files: the registry's content-addressed copy and the one in output/.
        let stored = files_dir.join(format!("{sha}.pdf"));
        if !stored.is_file() {
            write_atomic(&stored, &bytes)?;
            written.push(stored);
        }
        let out_file = output.join(output_name(d.kind, &kind_no, &sayi));
        write_output(&out_file, &bytes, modes)?;
        written.push(out_file.clone());
        store::files::upsert(
            tx,
            &store::files::FileRow { sha256: sha.clone(), size: bytes.len() as i64, media_type: "application/pdf".into(), pages: Some(pages as i64), original_name: out_file.file_name().map(|f| f.to_string_lossy().to_string()) },
        )?;
        let payload = serde_json::json!({
            "draft": d,
            "draft_sha256": draft_sha,
            "to": d.to,
            "dagitim": r.dagitim.as_ref().map(|(g, b)| serde_json::json!({"gereği": g, "bilgi": b})),
            "imza": d.imza,
            "template": d.template,
            "output": out_file,
        });
        let id = store::documents::insert(
            tx,
            &NewDocument {
                direction: "outgoing".into(),
                kind: d.kind,
                sayi: Some(Sayi::parse(&sayi).map_err(|e| Error::invalid("sayi", e.to_string()))?),
                kind_no: Some(kind_no.clone()),
                tarih,
                konu: d.konu.trim().to_string(),
                muhatap: if d.muhatap.is_empty() { None } else { Some(d.muhatap.iter().map(|m| turkish::upper(m.trim())).collect::<Vec<_>>().join(" / ")) },
                from: Some(office_code.clone()).filter(|c| store::orgs::find(tx, c).ok().flatten().is_some()),
                issuer: Some(office_name.clone()),
                file: Some(sha.clone()),
                state: "issued".into(),
                verification: Some(code.clone()),
                urgency: d.urgency.clone(),
                classification: d.classification.clone(),
                deadline: d.deadline.as_deref().and_then(|x| turkish::parse_date(x).ok()),
                payload,
                ..Default::default()
            },
        )?;
        for (i, c) in r.ilgi_rows.iter().enumerate() {
            store::documents::insert_citation(tx, id, i as i64 + 1, c)?;
        }
        // An attachment given as a file (`[[ek]] file = …`) is kept in the registry like any PDF it holds:
        // its row names the stored copy (a registered document's copy is stored already).
        let mut appended = r.ek_bytes.iter();
        for (i, e) in r.ek_rows.iter().enumerate() {
            if let (Some(sha), Some(b)) = (&e.file, e.file.as_ref().and_then(|_| appended.next())) {
                if e.target.is_none() {
                    let stored = files_dir.join(format!("{sha}.pdf"));
                    if !stored.is_file() {
                        write_atomic(&stored, b)?;
                        written.push(stored);
                    }
                    store::files::upsert(tx, &store::files::FileRow { sha256: sha.clone(), size: b.len() as i64, media_type: "application/pdf".into(), pages: e.pages, original_name: None })?;
                }
            }
            store::documents::insert_attachment(tx, id, i as i64 + 1, e)?;
        }
        let signed_by = signing.map(|s| s.signer());
        let signed_at = signing.map(|s| s.at.to_rfc3339());
        let mut event = serde_json::json!({"sayi": sayi, "kind_no": kind_no, "sha256": sha, "verification": code});
        if let (Some(by), Some(at)) = (&signed_by, &signed_at) {
            event["signed_by"] = serde_json::json!(by);
            event["signed_at"] = serde_json::json!(at);
        }
        store::events::append(tx, Some(id), None, "document.issued", &event)?;
        let issued = Issued { id: Some(id), sayi, kind_no, tarih: tarih.to_string(), konu: d.konu.trim().to_string(), pages, sha256: sha, verification: Some(code), file: out_file, preview: false, signed_by, signed_at, timestamped: signing.is_some_and(|s| s.tsa.is_some()) };
        on_record(tx, &issued)?;
        Ok(issued)
    });
    if result.is_err() {
        for f in &written {
            let _ = std::fs::remove_file(f);
        }
    }
    result
}
