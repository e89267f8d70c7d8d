//! The org hierarchy: Valilik → Kaymakamlık → İlçe Belediyesi; a chamber union → its member chambers.

use serde::Serialize;
use std::collections::HashMap;
use tamim_store::Conn;

use super::org::Org;
use crate::error::Result;
use tamim_store as store;

#[derive(Debug, Clone, Serialize)]
pub struct OrgNode {
    #[serde(flatten)]
    pub org: Org,
    pub children: Vec<OrgNode>,
}

/// The tree under `root` (or every top-level org), children in Turkish alphabetical order.
pub fn tree(conn: &Conn, root: Option<&str>) -> Result<Vec<OrgNode>> {
    let all = store::orgs::all(conn)?;
    let mut kids: HashMap<Option<String>, Vec<Org>> = HashMap::new();
    for o in all {
        kids.entry(o.parent.clone()).or_default().push(o);
    }
    for v in kids.values_mut() {
        v.sort_by(|a, b| tamim_core::turkish::compare(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
    }
    fn build(o: Org, kids: &HashMap<Option<String>, Vec<Org>>, depth: usize) -> OrgNode {
        let children = if depth > 64 {
            Vec::new()
        } else {
            kids.get(&Some(o.code.clone()))
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|c| build(c, kids, depth + 1))
                .collect()
        };
        OrgNode { org: o, children }
    }
    match root {
        Some(code) => {
            let o = store::orgs::get(conn, code)?;
            Ok(vec![build(o, &kids, 0)])
        }
        None => Ok(kids
            .get(&None)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|o| build(o, &kids, 0))
            .collect()),
    }
}

/// Does following parents from `code` come back to it?
pub fn has_parent_cycle(conn: &Conn, code: &str) -> Result<bool> {
    let mut seen = std::collections::HashSet::new();
    let mut at = store::orgs::get(conn, code)?;
    while let Some(p) = at.parent.clone() {
        if p == code || !seen.insert(p.clone()) {
            return Ok(true);
        }
        at = store::orgs::get(conn, &p)?;
    }
    Ok(false)
}

impl OrgNode {
    pub fn render_text(&self, depth: usize, out: &mut String) {
        let kind = if self.org.kind.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.org.kind)
        };
        out.push_str(&format!(
            "{}{} {}{}\n",
            "  ".repeat(depth),
            self.org.code,
            self.org.name,
            kind
        ));
        for c in &self.children {
            c.render_text(depth + 1, out);
        }
    }
}
