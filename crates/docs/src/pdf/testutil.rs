//! Test helpers: small PDFs made in the test, and the independent readers (poppler, qpdf) run on them.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh path in the temp dir, unique per process and call.
pub fn tmp_path(ext: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("tamim-pdf-test-{}-{n}.{ext}", std::process::id()))
}

pub fn write_tmp(bytes: &[u8]) -> PathBuf {
    let p = tmp_path("pdf");
    std::fs::write(&p, bytes).expect("write temp pdf");
    p
}

/// A PDF with one page per text, each showing its text in Helvetica, A4, with inherited
/// Resources and MediaBox on the page-tree root, and an Info Title.
pub fn simple_pdf(texts: &[&str]) -> Vec<u8> {
    pdf_with(texts, [0.0, 0.0, 595.0, 842.0], 0)
}

/// Like [`simple_pdf`], with a given MediaBox and /Rotate.
pub fn pdf_with(texts: &[&str], media: [f32; 4], rotate: i64) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for text in texts {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 14.into()]),
                Operation::new("Td", vec![(media[0] + 72.0).into(), (media[1] + 400.0).into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let mut stream = Stream::new(dictionary! {}, content.encode().expect("encode"));
        stream.compress().expect("compress");
        let content_id = doc.add_object(stream);
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content_id });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    let mut pages = dictionary! {
        "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
        "MediaBox" => media.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
    };
    if rotate != 0 {
        pages.set("Rotate", rotate);
    }
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! { "Title" => Object::string_literal("Test belgesi"), "Producer" => Object::string_literal("tamim tests") });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// A "scan": pages that only draw a small grey image.
pub fn image_only_pdf(pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0x40, 0x80, 0xc0, 0xff],
    ));
    let mut kids = Vec::new();
    for _ in 0..pages {
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"q 500 0 0 700 40 60 cm /Im0 Do Q".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// A zlib stream that inflates to `size` zero bytes, written directly as fixed-Huffman
/// deflate (a literal 0, then length-258 distance-1 copies), so the test never holds `size` bytes.
pub fn zlib_zeros(size: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            // LSB-first, as deflate packs header fields and extra bits.
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        fn code(&mut self, code: u32, len: u32) {
            // Huffman codes go MSB-first.
            let mut rev = 0;
            for i in 0..len {
                rev |= ((code >> i) & 1) << (len - 1 - i);
            }
            self.put(rev, len);
        }
    }
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    let mut left = size.saturating_sub(1);
    while left >= 258 {
        b.code(0b1100_0101, 8); // length code 285 = 258
        b.code(0, 5); // distance code 0 = 1
        left -= 258;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    let adler_b = (size as u64 % 65521) as u32;
    b.out.extend_from_slice(&((adler_b << 16) | 1).to_be_bytes());
    b.out
}

/// A one-page PDF whose page content inflates to `size` bytes.
pub fn bomb_pdf(size: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib_zeros(size));
    stream.allows_compression = false;
    let content = doc.add_object(stream);
    let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// `qpdf --encrypt u o 256 -- in out`: a PDF that needs the password "u".
pub fn qpdf_encrypt(pdf: &[u8]) -> Vec<u8> {
    let input = write_tmp(pdf);
    let output = tmp_path("pdf");
    let status = Command::new("qpdf")
        .args(["--encrypt", "u", "o", "256", "--"])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("run qpdf");
    assert!(status.success(), "qpdf --encrypt failed");
    let bytes = std::fs::read(&output).expect("read encrypted");
    let _ = std::fs::remove_file(input);
    let _ = std::fs::remove_file(output);
    bytes
}

/// Runs `qpdf --check`; returns (success, output).
pub fn qpdf_check(pdf: &[u8]) -> (bool, String) {
    let input = write_tmp(pdf);
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&input)
        .output()
        .expect("run qpdf");
    let _ = std::fs::remove_file(input);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // qpdf exits 0 when clean, 3 for warnings only.
    (out.status.code() == Some(0) && !text.contains("WARNING"), text)
}

/// The text of one page (1-based) as `pdftotext` reads it.
pub fn pdftotext(pdf: &[u8], page: usize, layout: bool) -> String {
    let input = write_tmp(pdf);
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-f", &page.to_string(), "-l", &page.to_string(), "-enc", "UTF-8"]);
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd.arg(&input).arg("-").output().expect("run pdftotext");
    let _ = std::fs::remove_file(input);
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The page count `pdfinfo` reports.
pub fn pdfinfo_pages(pdf: &[u8]) -> usize {
    let input = write_tmp(pdf);
    let out = Command::new("pdfinfo").arg(&input).output().expect("run pdfinfo");
    let _ = std::fs::remove_file(input);
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().unwrap_or(0)))
        .unwrap_or(0)
}

/// About 300 prefix lengths spread over a file, plus the small ones.
pub fn prefix_lengths(len: usize) -> impl Iterator<Item = usize> {
    let step = (len / 300).max(1);
    (0..len.min(64)).chain((64..len).step_by(step))
}
