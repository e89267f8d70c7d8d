//! Copying pages, and everything they reach, from one lopdf document into another.
//!
//! Only what a page reaches is copied (its contents, resources, annotations), renumbered in
//! the order first met, so the result is deterministic and carries none of the source's
//! catalog-level baggage (outlines, forms, name trees) unless asked for.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::load::{self, add};
use super::PdfError;

/// Page attributes a page may inherit from its ancestors in the page tree.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];
/// A4 in points, for a page tree that names no MediaBox at all.
const DEFAULT_MEDIA_BOX: [i64; 4] = [0, 0, 595, 842];

/// Copies objects of `src` into `dst`, remembering where each went.
pub(crate) struct Copier<'a> {
    src: &'a Document,
    /// Source id → destination id, for objects copied or queued.
    map: BTreeMap<ObjectId, ObjectId>,
    /// Source objects that must not be copied (catalog, page-tree nodes): references to them become null.
    blocked: BTreeSet<ObjectId>,
    queue: VecDeque<ObjectId>,
}

impl<'a> Copier<'a> {
    pub(crate) fn new(src: &'a Document) -> Self {
        let mut blocked = BTreeSet::new();
        if let Ok(root) = src.trailer.get(b"Root").and_then(Object::as_reference) {
            blocked.insert(root);
        }
        // Every page-tree node that is not a page.
        for (id, obj) in &src.objects {
            if let Ok(d) = obj.as_dict() {
                if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Pages".as_slice()) {
                    blocked.insert(*id);
                }
            }
        }
        Copier {
            src,
            map: BTreeMap::new(),
            blocked,
            queue: VecDeque::new(),
        }
    }

    /// Copies every page of `src`, in order, with inherited attributes made explicit and
    /// /Parent set to `parent`; returns the new page ids. With `strip_struct`, the pages'
    /// /StructParents (meaningless without the source's structure tree) are dropped.
    pub(crate) fn copy_pages(
        &mut self,
        dst: &mut Document,
        parent: ObjectId,
        strip_struct: bool,
    ) -> Result<Vec<ObjectId>, PdfError> {
        let pages: Vec<ObjectId> = self.src.get_pages().into_values().collect();
        // Reserve ids first so pages are numbered in page order and links between pages resolve.
        let mut new_ids = Vec::with_capacity(pages.len());
        for id in &pages {
            let new = dst.try_new_object_id().map_err(|e| PdfError::Merge(e.to_string()))?;
            self.map.insert(*id, new);
            new_ids.push(new);
        }
        for (old, new) in pages.iter().zip(&new_ids) {
            let page = self
                .src
                .get_dictionary(*old)
                .map_err(|_| PdfError::Corrupt(format!("page object {} {} is missing", old.0, old.1)))?;
            let mut page = page.clone();
            for key in INHERITED {
                if !page.has(key) {
                    if let Some(v) = load::inherited(self.src, &page, key) {
                        page.set(key, v);
                    }
                }
            }
            if !page.has(b"MediaBox") {
                page.set(
                    "MediaBox",
                    DEFAULT_MEDIA_BOX
                        .iter()
                        .map(|v| Object::Integer(*v))
                        .collect::<Vec<_>>(),
                );
            }
            page.remove(b"Parent");
            if strip_struct {
                page.remove(b"StructParents");
            }
            let mut obj = Object::Dictionary(page);
            self.rewrite(dst, &mut obj)?;
            if let Object::Dictionary(d) = &mut obj {
                d.set("Parent", parent);
            }
            dst.objects.insert(*new, obj);
        }
        self.drain(dst)?;
        Ok(new_ids)
    }

    /// Copies one value (and all it reaches) into `dst`, returning the rewritten value.
    pub(crate) fn copy_value(&mut self, dst: &mut Document, value: &Object) -> Result<Object, PdfError> {
        let mut v = value.clone();
        self.rewrite(dst, &mut v)?;
        self.drain(dst)?;
        Ok(v)
    }

    /// Replaces source references with destination ones; an object not seen before gets its
    /// destination id now and is queued for copying.
    fn rewrite(&mut self, dst: &mut Document, obj: &mut Object) -> Result<(), PdfError> {
        let mut stack: Vec<&mut Object> = vec![obj];
        while let Some(o) = stack.pop() {
            match o {
                Object::Reference(id) => {
                    if self.blocked.contains(id) || !self.src.objects.contains_key(id) {
                        *o = Object::Null;
                    } else if let Some(new) = self.map.get(id) {
                        *id = *new;
                    } else {
                        let new = dst.try_new_object_id().map_err(|e| PdfError::Merge(e.to_string()))?;
                        self.map.insert(*id, new);
                        self.queue.push_back(*id);
                        *id = new;
                    }
                }
                Object::Array(items) => stack.extend(items.iter_mut().rev()),
                Object::Dictionary(d) => stack.extend(d.iter_mut().map(|(_, v)| v).rev()),
                Object::Stream(s) => stack.extend(s.dict.iter_mut().map(|(_, v)| v).rev()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Copies the queued objects, each rewritten, until nothing new is reached.
    fn drain(&mut self, dst: &mut Document) -> Result<(), PdfError> {
        while let Some(old) = self.queue.pop_front() {
            let Some(new) = self.map.get(&old).copied() else {
                continue;
            };
            let mut obj = self.src.objects.get(&old).cloned().unwrap_or(Object::Null);
            if let Object::Stream(s) = &mut obj {
                // A /Length held in another object is not needed once the content is in hand.
                let len = s.content.len() as i64;
                s.dict.set("Length", len);
            }
            if let Object::Dictionary(d) = &mut obj {
                // A page reached other than through the page tree: cut it from its old tree.
                if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page".as_slice()) {
                    d.remove(b"Parent");
                }
            }
            self.rewrite(dst, &mut obj)?;
            dst.objects.insert(new, obj);
        }
        Ok(())
    }
}

/// A new, empty destination document with a page-tree root reserved.
pub(crate) fn new_document(version: &str) -> (Document, ObjectId) {
    let mut doc = Document::with_version(version);
    let pages = doc.new_object_id();
    (doc, pages)
}

/// Finishes a destination: the page-tree root with `kids`, and a catalog holding `extra` entries.
pub(crate) fn finish(
    doc: &mut Document,
    pages: ObjectId,
    kids: Vec<ObjectId>,
    mut catalog: Dictionary,
) -> Result<ObjectId, PdfError> {
    let count = kids.len() as i64;
    let kids: Vec<Object> = kids.into_iter().map(Object::Reference).collect();
    let mut root = Dictionary::new();
    root.set("Type", "Pages");
    root.set("Kids", kids);
    root.set("Count", count);
    doc.objects.insert(pages, Object::Dictionary(root));
    catalog.set("Type", "Catalog");
    catalog.set("Pages", pages);
    let id = add(doc, catalog)?;
    doc.trailer.set("Root", id);
    Ok(id)
}
