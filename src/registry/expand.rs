//! Expanding a distribution list into its recipients: deterministic, de-duplicated (the stronger role wins),
//! each with the path it was reached by and any cascade duty, in Turkish alphabetical order.

use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::list::{MemberRow, MemberTarget, Role};
use crate::error::{Error, Result};
use crate::store;

/// One recipient of an expanded list, as printed and as frozen into deliveries.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recipient {
    pub code: String,
    pub name: String,
    /// The org's kind, or `person` for a member of staff.
    pub kind: String,
    pub role: Role,
    /// The lists it was reached through, outermost first: `valilik-dagitim > ilce-kaymakamliklari`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kep: Option<String>,
    /// For a person: the org they belong to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Other paths that reached the same recipient (with the role they would have given).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_via: Vec<String>,
    #[serde(skip)]
    pub target: MemberTarget,
}

/// The rows loaded for an expansion, and the hits into them; recipients are materialised on demand
/// so that a million-recipient expansion holds each name once.
pub struct Expansion {
    rows: HashMap<i64, Vec<MemberRow>>,
    hits: Vec<Hit>,
}

#[derive(Clone)]
struct Hit {
    row: (i64, u32),
    role: Role,
    path: Rc<str>,
    cascade: Option<(i64, u32)>,
    also_via: Vec<Rc<str>>,
}

impl Expansion {
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    fn row(&self, at: (i64, u32)) -> &MemberRow {
        &self.rows[&at.0][at.1 as usize]
    }

    /// The i-th recipient in display order.
    pub fn get(&self, i: usize) -> Recipient {
        let h = &self.hits[i];
        let r = self.row(h.row);
        let cascade = h.cascade.map(|c| self.row(c));
        Recipient {
            code: r.code.clone(),
            name: r.name.clone(),
            kind: match r.target {
                MemberTarget::Person(_) => "person".to_string(),
                _ => r.kind.clone(),
            },
            role: h.role,
            path: h.path.to_string(),
            cascade_kind: cascade.and_then(|c| c.cascade_kind.clone()),
            cascade: cascade.and_then(|c| c.cascade_text.clone()),
            email: r.email.clone(),
            kep: r.kep.clone(),
            org: r.person_org.clone(),
            title: r.title.clone(),
            also_via: h.also_via.iter().map(|p| p.to_string()).collect(),
            target: r.target,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Recipient> + '_ {
        (0..self.hits.len()).map(|i| self.get(i))
    }

    pub fn recipients(&self) -> Vec<Recipient> {
        self.iter().collect()
    }

    /// Count per role.
    pub fn count(&self, role: Role) -> usize {
        self.hits.iter().filter(|h| h.role == role).count()
    }
}

/// Expand list `name` from the registry.
pub fn expand(conn: &rusqlite::Connection, name: &str) -> Result<Expansion> {
    let root = store::lists::id_of(conn, name)?;
    let rows = store::lists::reachable_members(conn, root)?;
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut st = conn.prepare("SELECT id, name FROM lists")?;
    for r in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, n) = r?;
        names.insert(id, n);
    }
    expand_rows(rows, &names, root)
}

struct Walker<'a> {
    rows: &'a HashMap<i64, Vec<MemberRow>>,
    names: &'a HashMap<i64, String>,
    hits: Vec<Hit>,
    index: HashMap<MemberTarget, u32>,
    stack: Vec<i64>,
    on_stack: HashSet<i64>,
}

impl Walker<'_> {
    fn walk(&mut self, list: i64, role: Role, path: Rc<str>, cascade: Option<(i64, u32)>) -> Result<()> {
        if !self.on_stack.insert(list) {
            let mut cyc: Vec<String> = self.stack.iter().skip_while(|l| **l != list).map(|l| format!("@{}", self.names[l])).collect();
            cyc.push(format!("@{}", self.names[&list]));
            return Err(Error::Cycle(format!("{} (a list cannot contain itself)", cyc.join(" → "))));
        }
        self.stack.push(list);
        let rows = self.rows;
        if let Some(entries) = rows.get(&list) {
            for (i, m) in entries.iter().enumerate() {
                let at = (list, i as u32);
                let role = role.min(m.role);
                let cascade = if m.cascade_kind.is_some() || m.cascade_text.is_some() { Some(at) } else { cascade };
                match m.target {
                    MemberTarget::List(sub) => {
                        let sub_path: Rc<str> = format!("{path} > {}", self.names.get(&sub).map(String::as_str).unwrap_or("?")).into();
                        self.walk(sub, role, sub_path, cascade)?;
                    }
                    target => match self.index.get(&target) {
                        None => {
                            self.index.insert(target, self.hits.len() as u32);
                            self.hits.push(Hit { row: at, role, path: path.clone(), cascade, also_via: Vec::new() });
                        }
                        Some(&k) => {
                            let h = &mut self.hits[k as usize];
                            if role > h.role {
                                // The stronger role wins, with the path that gave it.
                                let old = std::mem::replace(&mut h.path, path.clone());
                                h.also_via.push(old);
                                h.role = role;
                                h.cascade = cascade;
                                h.row = at;
                            } else if *h.path != *path && !h.also_via.iter().any(|p| **p == *path) {
                                h.also_via.push(path.clone());
                            }
                        }
                    },
                }
            }
        }
        self.stack.pop();
        self.on_stack.remove(&list);
        Ok(())
    }
}

/// Expansion over already-loaded rows (the benchmark and tests use this directly).
pub fn expand_rows(rows: HashMap<i64, Vec<MemberRow>>, names: &HashMap<i64, String>, root: i64) -> Result<Expansion> {
    let mut w = Walker { rows: &rows, names, hits: Vec::new(), index: HashMap::new(), stack: Vec::new(), on_stack: HashSet::new() };
    let root_path: Rc<str> = names.get(&root).cloned().unwrap_or_default().into();
    w.walk(root, Role::Gereği, root_path, None)?;
    let mut hits = std::mem::take(&mut w.hits);
    drop(w);
    // Turkish alphabetical order by name, then code; the sort key is computed once per recipient.
    // Stable, so equal names keep the walk's (deterministic) order.
    {
        let rows = &rows;
        crate::turkish::collate::sort_by_external_key(&mut hits, |h| rows[&h.row.0][h.row.1 as usize].name.as_str());
    }
    Ok(Expansion { rows, hits })
}
