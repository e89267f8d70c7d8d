//! A TrueType font read just enough to measure text, subset its glyphs and embed it in a PDF
//! as a Type0 / Identity-H font with a ToUnicode map (so extracted text comes back exactly).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};

use super::load::add;
use super::PdfError;

type Res<T> = Result<T, String>;

/// How many compressed font subsets are kept per process.
const CACHE_ENTRIES: usize = 16;

fn u16_at(d: &[u8], off: usize) -> Res<u16> {
    d.get(off..off + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("font read past end at {off}"))
}
fn i16_at(d: &[u8], off: usize) -> Res<i16> {
    u16_at(d, off).map(|v| v as i16)
}
fn u32_at(d: &[u8], off: usize) -> Res<u32> {
    d.get(off..off + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("font read past end at {off}"))
}

/// Which glyphs a subset holds and how they are numbered in it.
pub(crate) struct Plan {
    /// Subset glyph id → original glyph id (index 0 is .notdef).
    order: Vec<u16>,
    /// Original glyph id → subset glyph id.
    remap: BTreeMap<u16, u16>,
    /// Subset glyph id → the character it shows (for ToUnicode).
    chars: BTreeMap<u16, char>,
}

/// A parsed TrueType font (borrowed bytes).
pub(crate) struct TtfFont {
    data: &'static [u8],
    /// Tag → (offset, length).
    tables: BTreeMap<[u8; 4], (usize, usize)>,
    units_per_em: u16,
    num_glyphs: u16,
    long_loca: bool,
    num_hmetrics: u16,
    cmap: (usize, u16),
    bbox: [i16; 4],
    ascent: i16,
    descent: i16,
    cap_height: i16,
    name: String,
}

impl TtfFont {
    pub(crate) fn parse(data: &'static [u8], name: &str) -> Res<Self> {
        let num_tables = u16_at(data, 4)? as usize;
        let mut tables = BTreeMap::new();
        for i in 0..num_tables {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data
                .get(rec..rec + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or("bad table record")?;
            let off = u32_at(data, rec + 8)? as usize;
            let len = u32_at(data, rec + 12)? as usize;
            if data.len() < off.saturating_add(len) {
                return Err(format!("table {} out of bounds", String::from_utf8_lossy(&tag)));
            }
            tables.insert(tag, (off, len));
        }
        let t = |tag: &[u8; 4]| {
            tables
                .get(tag)
                .map(|v| v.0)
                .ok_or_else(|| format!("font has no {} table", String::from_utf8_lossy(tag)))
        };
        let head = t(b"head")?;
        let hhea = t(b"hhea")?;
        let maxp = t(b"maxp")?;
        let cmap_off = t(b"cmap")?;
        let cap_height = match tables.get(b"OS/2") {
            Some(&(off, len)) if len >= 90 && u16_at(data, off)? >= 2 => i16_at(data, off + 88)?,
            _ => (i16_at(data, hhea + 4)? as f32 * 0.7) as i16,
        };
        // Prefer a full-Unicode (3,10) format 12 subtable, then the BMP (3,1) format 4 one.
        let mut cmap = None;
        for i in 0..u16_at(data, cmap_off + 2)? as usize {
            let rec = cmap_off + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, rec)?, u16_at(data, rec + 2)?);
            let sub = cmap_off + u32_at(data, rec + 4)? as usize;
            let format = u16_at(data, sub)?;
            match (platform, encoding, format) {
                (3, 10, 12) => cmap = Some((sub, 12)),
                (3, 1, 4) if cmap.is_none() => cmap = Some((sub, 4)),
                _ => {}
            }
        }
        Ok(TtfFont {
            data,
            units_per_em: u16_at(data, head + 18)?.max(1),
            bbox: [
                i16_at(data, head + 36)?,
                i16_at(data, head + 38)?,
                i16_at(data, head + 40)?,
                i16_at(data, head + 42)?,
            ],
            long_loca: i16_at(data, head + 50)? == 1,
            ascent: i16_at(data, hhea + 4)?,
            descent: i16_at(data, hhea + 6)?,
            num_hmetrics: u16_at(data, hhea + 34)?.max(1),
            num_glyphs: u16_at(data, maxp + 4)?,
            cmap: cmap.ok_or("font has no Unicode cmap")?,
            cap_height,
            tables,
            name: name.to_string(),
        })
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&'static [u8]> {
        self.tables.get(tag).map(|&(off, len)| &self.data[off..off + len])
    }

    /// The glyph for a character, or `None` when the font lacks it.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        let (sub, format) = self.cmap;
        let d = self.data;
        let c = c as u32;
        let gid = if format == 12 {
            let groups = u32_at(d, sub + 12).ok()? as usize;
            (0..groups).find_map(|i| {
                let g = sub + 16 + 12 * i;
                let (start, end, glyph) = (u32_at(d, g).ok()?, u32_at(d, g + 4).ok()?, u32_at(d, g + 8).ok()?);
                (start <= c && c <= end).then(|| glyph + (c - start))
            })?
        } else {
            if c > 0xFFFF {
                return None;
            }
            let seg_count = u16_at(d, sub + 6).ok()? as usize / 2;
            let ends = sub + 14;
            let starts = ends + 2 * seg_count + 2;
            let deltas = starts + 2 * seg_count;
            let ranges = deltas + 2 * seg_count;
            let i = (0..seg_count).find(|&i| u16_at(d, ends + 2 * i).map(|e| e as u32 >= c).unwrap_or(false))?;
            let start = u16_at(d, starts + 2 * i).ok()? as u32;
            if start > c {
                return None;
            }
            let delta = u16_at(d, deltas + 2 * i).ok()? as u32;
            let range = u16_at(d, ranges + 2 * i).ok()? as usize;
            if range == 0 {
                (c + delta) & 0xFFFF
            } else {
                let g = u16_at(d, ranges + 2 * i + range + 2 * (c - start) as usize).ok()? as u32;
                if g == 0 {
                    return None;
                }
                (g + delta) & 0xFFFF
            }
        };
        (gid != 0 && gid < self.num_glyphs as u32).then_some(gid as u16)
    }

    /// Advance width of a glyph in font units.
    fn advance(&self, gid: u16) -> u16 {
        let Some(hmtx) = self.table(b"hmtx") else { return 0 };
        let i = gid.min(self.num_hmetrics - 1) as usize;
        u16_at(hmtx, 4 * i).unwrap_or(0)
    }

    /// Width of `text` at `size` points; the first character the font lacks is the error.
    pub(crate) fn width(&self, text: &str, size: f32) -> Result<f32, char> {
        let mut units = 0u32;
        for c in text.chars() {
            units += self.advance(self.glyph(c).ok_or(c)?) as u32;
        }
        Ok(units as f32 * size / self.units_per_em as f32)
    }

    /// The glyphs needed to show `texts` (plus .notdef and the components of composite
    /// glyphs), numbered densely from 0 in the subset; the first character the font lacks is the error.
    pub(crate) fn plan(&self, texts: &[&str]) -> Result<Plan, char> {
        let mut chars = BTreeMap::new();
        for c in texts.iter().flat_map(|t| t.chars()) {
            chars.entry(self.glyph(c).ok_or(c)?).or_insert(c);
        }
        let mut keep: BTreeSet<u16> = chars.keys().copied().collect();
        keep.insert(0);
        let mut todo: Vec<u16> = keep.iter().copied().collect();
        while let Some(gid) = todo.pop() {
            for component in self.components(gid).unwrap_or_default() {
                if component < self.num_glyphs && keep.insert(component) {
                    todo.push(component);
                }
            }
        }
        let order: Vec<u16> = keep.into_iter().collect();
        let remap = order
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, new as u16))
            .collect::<BTreeMap<_, _>>();
        let chars = chars
            .into_iter()
            .filter_map(|(old, c)| remap.get(&old).map(|new| (*new, c)))
            .collect();
        Ok(Plan { order, remap, chars })
    }

    /// `text` as a hex string of 2-byte subset glyph ids (CIDs); `text` must be in the plan.
    pub(crate) fn encode(&self, text: &str, plan: &Plan) -> Result<String, char> {
        let mut s = String::with_capacity(text.len() * 4 + 2);
        s.push('<');
        for c in text.chars() {
            let gid = self.glyph(c).and_then(|g| plan.remap.get(&g)).ok_or(c)?;
            s.push_str(&format!("{gid:04X}"));
        }
        s.push('>');
        Ok(s)
    }

    /// The glyph ids a composite glyph is built from, with the byte offset of each id.
    fn component_offsets(&self, gid: u16) -> Res<Vec<(usize, u16)>> {
        let glyf = self.table(b"glyf").ok_or("no glyf")?;
        let (start, end) = self.glyph_range(gid)?;
        let g = glyf.get(start..end).ok_or("glyph out of bounds")?;
        let mut out = Vec::new();
        if g.len() < 10 || i16_at(g, 0)? >= 0 {
            return Ok(out);
        }
        let mut p = 10;
        loop {
            let flags = u16_at(g, p)?;
            out.push((p + 2, u16_at(g, p + 2)?));
            p += 4 + if flags & 1 != 0 { 4 } else { 2 };
            p += if flags & 0x08 != 0 {
                2
            } else if flags & 0x40 != 0 {
                4
            } else if flags & 0x80 != 0 {
                8
            } else {
                0
            };
            if flags & 0x20 == 0 || out.len() > 64 {
                return Ok(out);
            }
        }
    }

    fn components(&self, gid: u16) -> Res<Vec<u16>> {
        Ok(self.component_offsets(gid)?.into_iter().map(|(_, c)| c).collect())
    }

    /// Left side bearing of a glyph in font units.
    fn lsb(&self, gid: u16) -> i16 {
        let Some(hmtx) = self.table(b"hmtx") else { return 0 };
        let n = self.num_hmetrics as usize;
        let g = gid as usize;
        let off = if g < n { 4 * g + 2 } else { 4 * n + 2 * (g - n) };
        i16_at(hmtx, off).unwrap_or(0)
    }

    fn glyph_range(&self, gid: u16) -> Res<(usize, usize)> {
        let loca = self.table(b"loca").ok_or("no loca")?;
        let g = gid as usize;
        if self.long_loca {
            Ok((u32_at(loca, 4 * g)? as usize, u32_at(loca, 4 * g + 4)? as usize))
        } else {
            Ok((u16_at(loca, 2 * g)? as usize * 2, u16_at(loca, 2 * g + 2)? as usize * 2))
        }
    }

    /// A TrueType program holding only the glyphs of `order`, renumbered 0..n in that order
    /// (composite glyphs' component ids rewritten), with the hinting tables kept.
    fn subset(&self, order: &[u16]) -> Res<Vec<u8>> {
        let glyf = self.table(b"glyf").ok_or("no glyf")?;
        let remap: BTreeMap<u16, u16> = order.iter().enumerate().map(|(new, old)| (*old, new as u16)).collect();
        let n = u16::try_from(order.len()).map_err(|_| "too many glyphs")?;
        let mut new_glyf = Vec::new();
        let mut new_loca = Vec::with_capacity(4 * (order.len() + 1));
        let mut new_hmtx = Vec::with_capacity(4 * order.len());
        for &gid in order {
            new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
            new_hmtx.extend_from_slice(&self.advance(gid).to_be_bytes());
            new_hmtx.extend_from_slice(&self.lsb(gid).to_be_bytes());
            let (start, end) = self.glyph_range(gid)?;
            let mut g = glyf.get(start..end).ok_or("glyph out of bounds")?.to_vec();
            for (at, component) in self.component_offsets(gid)? {
                let new = remap.get(&component).ok_or("component glyph not in subset")?;
                g.get_mut(at..at + 2)
                    .ok_or("short glyph")?
                    .copy_from_slice(&new.to_be_bytes());
            }
            new_glyf.extend_from_slice(&g);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let patch = |tag: &[u8; 4], at: usize, value: u16| -> Res<Vec<u8>> {
            let mut t = self.table(tag).ok_or("missing table")?.to_vec();
            t.get_mut(at..at + 2)
                .ok_or("short table")?
                .copy_from_slice(&value.to_be_bytes());
            Ok(t)
        };
        let mut head = patch(b"head", 50, 1)?; // long loca offsets
        head.get_mut(8..12).ok_or("short head")?.copy_from_slice(&[0; 4]);
        let hhea = patch(b"hhea", 34, n)?; // numberOfHMetrics
        let maxp = patch(b"maxp", 4, n)?; // numGlyphs

        let mut out_tables: Vec<([u8; 4], Vec<u8>)> = vec![];
        for (tag, data) in [
            (b"cvt ", None),
            (b"fpgm", None),
            (b"glyf", Some(new_glyf)),
            (b"head", Some(head)),
            (b"hhea", Some(hhea)),
            (b"hmtx", Some(new_hmtx)),
            (b"loca", Some(new_loca)),
            (b"maxp", Some(maxp)),
            (b"prep", None),
        ] {
            match data.or_else(|| self.table(tag).map(<[u8]>::to_vec)) {
                Some(d) => out_tables.push((*tag, d)),
                None => continue,
            }
        }
        Ok(write_sfnt(&out_tables))
    }

    /// The subset font program for `gids`, Flate-compressed, and its uncompressed length.
    /// Subsetting and compressing cost most of a stamp, and an office stamps the same glyphs
    /// over and over, so the last few results are kept per process.
    fn compressed_subset(&self, gids: &[u16]) -> Result<(Vec<u8>, usize), PdfError> {
        type Cache = Mutex<Vec<(String, Vec<u8>, Vec<u8>, usize)>>;
        let key: Vec<u8> = gids.iter().flat_map(|g| g.to_be_bytes()).collect();
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        if let Ok(entries) = cache.lock() {
            if let Some((_, _, bytes, len)) = entries.iter().find(|(n, k, _, _)| *n == self.name && *k == key) {
                return Ok((bytes.clone(), *len));
            }
        }
        let program = self
            .subset(gids)
            .map_err(|e| PdfError::Stamp(format!("font {}: {e}", self.name)))?;
        let length1 = program.len();
        let mut stream = Stream::new(Dictionary::new(), program);
        stream.compress().map_err(|e| PdfError::Stamp(e.to_string()))?;
        if stream.dict.get(b"Filter").is_err() {
            // lopdf leaves a stream uncompressed when Flate does not shrink it; a TrueType
            // program always shrinks, so this is a broken font.
            return Err(PdfError::Stamp("the font program did not compress".into()));
        }
        if let Ok(mut entries) = cache.lock() {
            if entries.len() >= CACHE_ENTRIES {
                entries.remove(0);
            }
            entries.push((self.name.clone(), key, stream.content.clone(), length1));
        }
        Ok((stream.content, length1))
    }

    /// Embeds the glyphs of `plan` as a Type0 font; returns the font dictionary's id.
    pub(crate) fn embed(&self, doc: &mut Document, plan: &Plan) -> Result<ObjectId, PdfError> {
        let (program, length1) = self.compressed_subset(&plan.order)?;
        // A subset tag derived from the glyphs, so the same text gives the same name.
        let digest = Sha256::digest(plan.order.iter().flat_map(|g| g.to_be_bytes()).collect::<Vec<u8>>());
        let tag: String = digest.iter().take(6).map(|b| (b'A' + b % 26) as char).collect();
        let base_font = format!("{tag}+{}", self.name);
        let scale = |v: i16| (v as f32 * 1000.0 / self.units_per_em as f32).round() as i64;

        let file = Stream::new(
            dictionary! { "Length1" => length1 as i64, "Filter" => "FlateDecode" },
            program,
        );
        let file_id = add(doc, file)?;
        let descriptor = add(
            doc,
            dictionary! {
                "Type" => "FontDescriptor",
                "FontName" => Object::Name(base_font.clone().into_bytes()),
                "Flags" => 34,
                "FontBBox" => self.bbox.iter().map(|v| Object::Integer(scale(*v))).collect::<Vec<_>>(),
                "ItalicAngle" => 0,
                "Ascent" => scale(self.ascent),
                "Descent" => scale(self.descent),
                "CapHeight" => scale(self.cap_height),
                "StemV" => 80,
                "FontFile2" => file_id,
            },
        )?;
        let mut widths = Vec::new();
        for (new, old) in plan.order.iter().enumerate() {
            let w = (self.advance(*old) as f32 * 1000.0 / self.units_per_em as f32).round() as i64;
            widths.push(Object::Integer(new as i64));
            widths.push(Object::Array(vec![Object::Integer(w)]));
        }
        let cid_font = add(
            doc,
            dictionary! {
                "Type" => "Font",
                "Subtype" => "CIDFontType2",
                "BaseFont" => Object::Name(base_font.clone().into_bytes()),
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal("Identity"),
                    "Supplement" => 0,
                },
                "FontDescriptor" => descriptor,
                "W" => widths,
                "CIDToGIDMap" => "Identity",
            },
        )?;
        let mut to_unicode = Stream::new(dictionary! {}, to_unicode_cmap(&plan.chars).into_bytes());
        to_unicode.compress().map_err(|e| PdfError::Stamp(e.to_string()))?;
        let to_unicode = add(doc, to_unicode)?;
        add(
            doc,
            dictionary! {
                "Type" => "Font",
                "Subtype" => "Type0",
                "BaseFont" => Object::Name(base_font.into_bytes()),
                "Encoding" => "Identity-H",
                "DescendantFonts" => vec![Object::Reference(cid_font)],
                "ToUnicode" => to_unicode,
            },
        )
    }
}

/// A ToUnicode CMap mapping each 2-byte glyph id to its character.
fn to_unicode_cmap(used: &BTreeMap<u16, char>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            s.push_str(&format!("<{gid:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// Writes an sfnt (TrueType) file from tables given in tag order.
fn write_sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, pow * 16, log, n * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * tables.len() + body.len();
    }
    out.extend_from_slice(&body);
    // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    if let Some(pos) = tables.iter().position(|(t, _)| t == b"head") {
        let head_off = u32_at(&out, 12 + 16 * pos + 8).unwrap_or(0) as usize;
        if let Some(slot) = out.get_mut(head_off + 8..head_off + 12) {
            slot.copy_from_slice(&adjust.to_be_bytes());
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGULAR: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/LiberationSerif-Regular.ttf"
    ));

    #[test]
    fn turkish_letters_have_glyphs() {
        let f = TtfFont::parse(REGULAR, "LiberationSerif").unwrap();
        for c in "İıŞşĞğÇçÖöÜü".chars() {
            assert!(f.glyph(c).is_some(), "{c}");
        }
        assert!(f.glyph('\u{4E00}').is_none());
        let w = f.width("Kayıt No.", 10.0).unwrap();
        assert!(w > 30.0 && w < 50.0, "{w}");
    }

    #[test]
    fn subset_is_small_and_keeps_components() {
        let f = TtfFont::parse(REGULAR, "LiberationSerif").unwrap();
        let plan = f.plan(&["İĞ"]).unwrap();
        assert!(
            plan.order.len() > 3,
            "composite İ and Ğ pull in their components: {:?}",
            plan.order
        );
        let sub = f.subset(&plan.order).unwrap();
        assert!(sub.len() < REGULAR.len() / 4, "{}", sub.len());
        assert_eq!(checksum(&sub), 0xB1B0_AFBA);
        assert_eq!(u16_at(&sub, 4).unwrap(), 9, "nine tables");
    }
}
