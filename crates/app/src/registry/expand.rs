//! Expanding a distribution list into its recipients: deterministic, de-duplicated (the stronger role wins),
//! each with the path it was reached by and any cascade duty, in Turkish alphabetical order.

use serde::Serialize;
use std::collections::hash_map::{Entry, HashMap};
use std::ops::Range;
use tamim_store::Conn;

use super::list::{MemberRef, MemberTarget, Role};
use crate::error::{Error, Result};
use tamim_store as store;

/// One recipient of an expanded list, as printed and as frozen into deliveries; borrowed from its
/// [`Expansion`], so printing a million of them allocates nothing.
#[derive(Clone, Copy, Serialize)]
pub struct Recipient<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The org's kind, or `person` for a member of staff.
    pub kind: &'a str,
    pub role: Role,
    /// The lists it was reached through, outermost first: `valilik-dagitim > ilce-kaymakamliklari`.
    pub path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade_kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kep: Option<&'a str>,
    /// For a person: the org they belong to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// Other paths that reached the same recipient (with the role they would have given).
    #[serde(skip_serializing_if = "Paths::is_empty")]
    pub also_via: Paths<'a>,
    #[serde(skip)]
    pub target: MemberTarget,
}

/// Interned paths, read in place.
#[derive(Clone, Copy)]
pub struct Paths<'a> {
    texts: &'a Texts,
    ids: &'a [u32],
}

impl<'a> Paths<'a> {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let texts = self.texts;
        self.ids.iter().filter_map(move |p| texts.shared(*p))
    }
}

impl Serialize for Paths<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// "No value" for the `u32` indices and spans below.
const NONE: u32 = u32::MAX;

/// A piece of [`Texts::buf`], or none.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    const NONE: Span = Span { start: 0, len: NONE };
}

/// The text of an expansion's rows, each value stored once: values of one row alone (code, name, e-mail,
/// KEP) end to end in one buffer; values many rows share (kinds, titles, org codes, cascade duties, paths)
/// interned. A million recipients then cost a few dozen bytes of text each instead of a dozen `String`s.
#[derive(Default)]
pub struct Texts {
    buf: String,
    shared: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Texts {
    fn push(&mut self, s: Option<&str>) -> Result<Span> {
        let Some(s) = s else { return Ok(Span::NONE) };
        let end = self.buf.len() + s.len();
        if end >= NONE as usize {
            return Err(Error::invalid(
                "LIST",
                "the expansion holds more than 4 GiB of names and addresses; split the list",
            ));
        }
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        Ok(Span {
            start,
            len: s.len() as u32,
        })
    }

    fn span(&self, s: Span) -> Option<&str> {
        (s.len != NONE).then(|| &self.buf[s.start as usize..(s.start + s.len) as usize])
    }

    fn intern(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return NONE };
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.shared.len() as u32;
        self.shared.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn shared(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| &*self.shared[id as usize])
    }
}

/// One loaded list entry.
struct Row {
    target: MemberTarget,
    code: Span,
    name: Span,
    email: Span,
    kep: Span,
    /// The org's kind, or `person`.
    kind: u32,
    title: u32,
    org: u32,
    cascade_kind: u32,
    cascade_text: u32,
    role: Role,
}

/// The entries of every list reachable from the root, as loaded, before the walk.
#[derive(Default)]
pub struct Loaded {
    texts: Texts,
    rows: Vec<Row>,
    /// Each list's entries: ranges of `rows` (one range when rows arrive grouped by list, as the query gives them).
    lists: HashMap<i64, Vec<Range<u32>>>,
}

impl Loaded {
    /// Add one entry; entries of a list keep the order they are pushed in.
    pub fn push(&mut self, m: &MemberRef<'_>) -> Result<()> {
        let at = u32::try_from(self.rows.len())
            .ok()
            .filter(|n| *n != NONE)
            .ok_or_else(|| Error::invalid("LIST", "the expansion has more than 4 billion entries"))?;
        let t = &mut self.texts;
        let person = matches!(m.target, MemberTarget::Person(_));
        let row = Row {
            target: m.target,
            code: t.push(Some(m.code))?,
            name: t.push(Some(m.name))?,
            email: t.push(m.email)?,
            kep: t.push(m.kep)?,
            kind: t.intern(Some(if person { "person" } else { m.kind })),
            title: t.intern(m.title),
            org: t.intern(m.person_org),
            cascade_kind: t.intern(m.cascade_kind),
            cascade_text: t.intern(m.cascade_text),
            role: m.role,
        };
        self.rows.push(row);
        let ranges = self.lists.entry(m.list_id).or_default();
        match ranges.last_mut() {
            Some(r) if r.end == at => r.end = at + 1,
            _ => ranges.push(at..at + 1),
        }
        Ok(())
    }
}

/// An expanded list: the loaded rows and the recipients as indices into them, in display order;
/// each [`Recipient`] is a view made on demand.
pub struct Expansion {
    texts: Texts,
    rows: Vec<Row>,
    hits: Vec<Hit>,
    also_via: Vec<Vec<u32>>,
}

/// One recipient: the entry that reached it with the strongest role, and how.
struct Hit {
    row: u32,
    /// Interned path.
    path: u32,
    /// The entry whose cascade duty applies, or NONE.
    cascade: u32,
    /// Index into `also_via`, or NONE.
    also_via: u32,
    role: Role,
}

impl Expansion {
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The i-th recipient in display order.
    pub fn get(&self, i: usize) -> Recipient<'_> {
        let t = &self.texts;
        let h = &self.hits[i];
        let r = &self.rows[h.row as usize];
        let cascade = (h.cascade != NONE).then(|| &self.rows[h.cascade as usize]);
        Recipient {
            code: t.span(r.code).unwrap_or_default(),
            name: t.span(r.name).unwrap_or_default(),
            kind: t.shared(r.kind).unwrap_or_default(),
            role: h.role,
            path: t.shared(h.path).unwrap_or_default(),
            cascade_kind: cascade.and_then(|c| t.shared(c.cascade_kind)),
            cascade: cascade.and_then(|c| t.shared(c.cascade_text)),
            email: t.span(r.email),
            kep: t.span(r.kep),
            org: t.shared(r.org),
            title: t.shared(r.title),
            also_via: Paths {
                texts: t,
                ids: if h.also_via == NONE {
                    &[]
                } else {
                    &self.also_via[h.also_via as usize]
                },
            },
            target: r.target,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Recipient<'_>> + '_ {
        (0..self.hits.len()).map(|i| self.get(i))
    }

    /// Count per role.
    pub fn count(&self, role: Role) -> usize {
        self.hits.iter().filter(|h| h.role == role).count()
    }
}

/// Expand list `name` from the registry.
pub fn expand(conn: &Conn, name: &str) -> Result<Expansion> {
    let root = store::lists::id_of(conn, name)?;
    let names = store::lists::names(conn)?;
    let mut loaded = Loaded::default();
    store::lists::for_each_reachable_member(conn, root, |m| loaded.push(m))?;
    expand_loaded(loaded, &names, root)
}

/// A recipient's identity for de-duplication: the kind of target and its row id in one word.
fn key(t: MemberTarget) -> u64 {
    match t {
        MemberTarget::Org(id) => id as u64,
        MemberTarget::Person(id) => (id as u64) | 1 << 62,
        MemberTarget::List(id) => (id as u64) | 2 << 62,
    }
}

struct Walker<'a> {
    rows: &'a [Row],
    lists: &'a HashMap<i64, Vec<Range<u32>>>,
    names: &'a HashMap<i64, String>,
    texts: &'a mut Texts,
    hits: Vec<Hit>,
    also_via: Vec<Vec<u32>>,
    index: HashMap<u64, u32>,
    stack: Vec<i64>,
}

impl Walker<'_> {
    fn walk(&mut self, list: i64, role: Role, path: u32, cascade: u32) -> Result<()> {
        if self.stack.contains(&list) {
            let name = |l: &i64| format!("@{}", self.names.get(l).map(String::as_str).unwrap_or("?"));
            let mut cyc: Vec<String> = self.stack.iter().skip_while(|l| **l != list).map(name).collect();
            cyc.push(name(&list));
            return Err(Error::Domain(tamim_core::Error::Cycle(format!(
                "{} (a list cannot contain itself)",
                cyc.join(" → ")
            ))));
        }
        self.stack.push(list);
        let (rows, lists) = (self.rows, self.lists);
        for range in lists.get(&list).map(Vec::as_slice).unwrap_or_default() {
            for i in range.clone() {
                let m = &rows[i as usize];
                let role = role.min(m.role);
                let cascade = if m.cascade_kind != NONE || m.cascade_text != NONE {
                    i
                } else {
                    cascade
                };
                match m.target {
                    MemberTarget::List(sub) => {
                        let sub_path = format!(
                            "{} > {}",
                            self.texts.shared(path).unwrap_or_default(),
                            self.names.get(&sub).map(String::as_str).unwrap_or("?")
                        );
                        let sub_path = self.texts.intern(Some(&sub_path));
                        self.walk(sub, role, sub_path, cascade)?;
                    }
                    target => self.reach(key(target), i, role, path, cascade),
                }
            }
        }
        self.stack.pop();
        Ok(())
    }

    /// Entry `row` reaches its recipient with `role` by `path`: a new recipient, or the same one again
    /// (then the stronger role wins, with the path that gave it, and the other paths are kept).
    fn reach(&mut self, key: u64, row: u32, role: Role, path: u32, cascade: u32) {
        let k = match self.index.entry(key) {
            Entry::Vacant(v) => {
                v.insert(self.hits.len() as u32);
                self.hits.push(Hit {
                    row,
                    role,
                    path,
                    cascade,
                    also_via: NONE,
                });
                return;
            }
            Entry::Occupied(o) => *o.get() as usize,
        };
        let h = &mut self.hits[k];
        if role > h.role {
            let old = std::mem::replace(&mut h.path, path);
            let others = other_paths(h, &mut self.also_via);
            others.retain(|p| *p != path);
            others.push(old);
            h.role = role;
            h.cascade = cascade;
            h.row = row;
        } else if h.path != path {
            let others = other_paths(h, &mut self.also_via);
            if !others.contains(&path) {
                others.push(path);
            }
        }
    }
}

/// The other paths that reached `h`'s recipient (made on first use: most recipients have none).
fn other_paths<'v>(h: &mut Hit, also_via: &'v mut Vec<Vec<u32>>) -> &'v mut Vec<u32> {
    if h.also_via == NONE {
        h.also_via = also_via.len() as u32;
        also_via.push(Vec::new());
    }
    &mut also_via[h.also_via as usize]
}

/// Expansion over rows loaded by the caller (tests use this directly): walk from `root`, de-duplicate,
/// and put the recipients in Turkish alphabetical order.
pub fn expand_loaded(loaded: Loaded, names: &HashMap<i64, String>, root: i64) -> Result<Expansion> {
    let Loaded { mut texts, rows, lists } = loaded;
    let root_path = texts.intern(Some(names.get(&root).map(String::as_str).unwrap_or_default()));
    let mut w = Walker {
        rows: &rows,
        lists: &lists,
        names,
        texts: &mut texts,
        hits: Vec::new(),
        also_via: Vec::new(),
        index: HashMap::new(),
        stack: Vec::new(),
    };
    w.walk(root, Role::Gereği, root_path, NONE)?;
    let (mut hits, also_via) = (std::mem::take(&mut w.hits), std::mem::take(&mut w.also_via));
    drop(w);
    drop(lists);
    texts.ids = HashMap::new();
    // Turkish alphabetical order by name; stable, so equal names keep the walk's (deterministic) order.
    {
        let (rows, texts) = (&rows, &texts);
        tamim_core::turkish::collate::sort_by_external_key(&mut hits, |h| {
            texts.span(rows[h.row as usize].name).unwrap_or_default()
        });
    }
    Ok(Expansion {
        texts,
        rows,
        hits,
        also_via,
    })
}
