//! The chain of a document: up through what it cites and carries to the root, down through every follow-on,
//! with each citation that disagrees with its target marked.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use tamim_store::Conn;

use crate::error::Result;
use tamim_core::turkish;
use tamim_store as store;

#[derive(Debug, Clone, Serialize)]
pub struct ChainDoc {
    pub id: i64,
    pub direction: String,
    pub kind: tamim_core::DocumentKind,
    pub sayi: Option<String>,
    pub kind_no: Option<String>,
    pub tarih: String,
    pub konu: String,
    pub issuer: String,
    pub kayit_no: Option<i64>,
    /// Steps from the document asked about: negative above it, positive below.
    pub level: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    /// The citing / carrying document.
    pub from: i64,
    /// The cited / carried document.
    pub to: i64,
    /// `ilgi` or `ek`.
    pub relation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Discrepancy {
    pub document: i64,
    pub target: Option<i64>,
    pub citation: String,
    pub problem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chain {
    pub focus: i64,
    pub documents: Vec<ChainDoc>,
    pub links: Vec<Link>,
    pub discrepancies: Vec<Discrepancy>,
}

pub fn chain(conn: &Conn, focus: i64) -> Result<Chain> {
    let mut level: BTreeMap<i64, i64> = BTreeMap::new();
    let mut links: BTreeSet<Link> = BTreeSet::new();
    level.insert(focus, 0);
    // Up: what it cites and carries, and so on to the root.
    let mut queue = VecDeque::from([focus]);
    while let Some(d) = queue.pop_front() {
        let l = level[&d];
        for (to, rel) in store::documents::links_up(conn, d)? {
            links.insert(Link {
                from: d,
                to,
                relation: rel.into(),
            });
            if let std::collections::btree_map::Entry::Vacant(e) = level.entry(to) {
                e.insert(l - 1);
                queue.push_back(to);
            }
        }
    }
    // Down: every follow-on that cites or carries it, and theirs.
    let mut queue = VecDeque::from([focus]);
    while let Some(d) = queue.pop_front() {
        let l = level[&d];
        for (from, rel) in store::documents::links_down(conn, d)? {
            links.insert(Link {
                from,
                to: d,
                relation: rel.into(),
            });
            if let std::collections::btree_map::Entry::Vacant(e) = level.entry(from) {
                e.insert(l + 1);
                queue.push_back(from);
            }
        }
    }
    let mut documents = Vec::with_capacity(level.len());
    let mut discrepancies = Vec::new();
    for (&id, &lvl) in &level {
        let d = store::documents::get(conn, id)?;
        for c in &d.ilgi {
            if let Some(p) = &c.discrepancy {
                discrepancies.push(Discrepancy {
                    document: id,
                    target: c.target,
                    citation: c.text.clone(),
                    problem: p.clone(),
                });
            }
        }
        documents.push(ChainDoc {
            id,
            direction: d.direction.clone(),
            kind: d.kind,
            sayi: d.sayi.clone(),
            kind_no: d.kind_no.clone(),
            tarih: d.tarih.format("%Y-%m-%d").to_string(),
            konu: d.konu.clone(),
            issuer: d.issuer_text(),
            kayit_no: d.kayit_no,
            level: lvl,
        });
    }
    documents.sort_by_key(|d| (d.level, d.tarih.clone(), d.id));
    Ok(Chain {
        focus,
        documents,
        links: links.into_iter().collect(),
        discrepancies,
    })
}

impl Chain {
    /// The chain drawn as an indented tree from the root(s) down, for people.
    pub fn render_text(&self) -> String {
        let by_id: BTreeMap<i64, &ChainDoc> = self.documents.iter().map(|d| (d.id, d)).collect();
        let mut children: BTreeMap<i64, Vec<(i64, Vec<&str>)>> = BTreeMap::new();
        let mut has_parent = BTreeSet::new();
        for l in &self.links {
            has_parent.insert(l.from);
            let kids = children.entry(l.to).or_default();
            match kids.iter_mut().find(|(f, _)| *f == l.from) {
                Some((_, rels)) => rels.push(&l.relation),
                None => kids.push((l.from, vec![&l.relation])),
            }
        }
        let mut out = String::new();
        let mut printed = BTreeSet::new();
        let roots: Vec<i64> = self
            .documents
            .iter()
            .filter(|d| !has_parent.contains(&d.id))
            .map(|d| d.id)
            .collect();
        for r in roots {
            self.draw(r, None, 0, &by_id, &children, &mut printed, &mut out);
        }
        if self.discrepancies.is_empty() {
            out.push_str("\nTutarsızlık yok.\n");
        } else {
            out.push_str(&format!("\n{} tutarsızlık:\n", self.discrepancies.len()));
            for d in &self.discrepancies {
                out.push_str(&format!(
                    "  ! #{}: \"{}\"\n      {}\n",
                    d.document, d.citation, d.problem
                ));
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        id: i64,
        rel: Option<&[&str]>,
        depth: usize,
        by_id: &BTreeMap<i64, &ChainDoc>,
        children: &BTreeMap<i64, Vec<(i64, Vec<&str>)>>,
        printed: &mut BTreeSet<i64>,
        out: &mut String,
    ) {
        let Some(d) = by_id.get(&id) else { return };
        let indent = "    ".repeat(depth);
        let via = rel.map(|r| format!("└─ {} ", r.join("+"))).unwrap_or_default();
        let marker = if id == self.focus { " ◀" } else { "" };
        let number = match (&d.sayi, &d.kind_no) {
            (Some(s), Some(k)) => format!("Sayı {s} · No {k}"),
            (Some(s), None) => format!("Sayı {s}"),
            (None, Some(k)) => format!("No {k}"),
            (None, None) => "(sayısız)".into(),
        };
        let date = chrono::NaiveDate::parse_from_str(&d.tarih, "%Y-%m-%d")
            .map(turkish::format_dotted)
            .unwrap_or_default();
        let kayit = d.kayit_no.map(|k| format!(" · Kayıt No {k}")).unwrap_or_default();
        let flag = if self.discrepancies.iter().any(|x| x.document == id) {
            "  ! tutarsızlık"
        } else {
            ""
        };
        if !printed.insert(id) {
            out.push_str(&format!("{indent}{via}#{} (yukarıda)\n", d.id));
            return;
        }
        out.push_str(&format!(
            "{indent}{via}#{} {} · {number} · {date} · {} · {}{kayit}{flag}{marker}\n",
            d.id, d.kind, d.issuer, d.konu
        ));
        if let Some(kids) = children.get(&id) {
            for (k, rels) in kids {
                self.draw(*k, Some(rels), depth + 1, by_id, children, printed, out);
            }
        }
    }
}
