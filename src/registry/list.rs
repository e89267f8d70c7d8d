//! Distribution lists: named, nested groups of orgs and people, each entry with a role and maybe a cascade duty.

use serde::{Deserialize, Serialize};

use super::validate;
use crate::error::{Error, Result};
use crate::store::{self, Store};

/// Gereği (for action) or Bilgi (for information). Gereği is the stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    #[serde(rename = "bilgi")]
    Bilgi,
    #[serde(rename = "gereği")]
    Gereği,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match crate::turkish::lower(s.trim()).as_str() {
            "gereği" | "geregi" | "gerekli" => Some(Role::Gereği),
            "bilgi" => Some(Role::Bilgi),
            _ => None,
        }
    }

    /// A role as the registry stores it (`gereği` / `bilgi`); anything else is read as [`Role::parse`] does,
    /// and an unreadable value as gereği, the safer of the two.
    pub fn parse_stored(s: &str) -> Role {
        match s {
            "gereği" => Role::Gereği,
            "bilgi" => Role::Bilgi,
            other => Role::parse(other).unwrap_or(Role::Gereği),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Gereği => "gereği",
            Role::Bilgi => "bilgi",
        }
    }

    /// As printed in a letter's dağıtım block and in e-mails.
    pub fn label(&self) -> &'static str {
        match self {
            Role::Gereği => "Gereği",
            Role::Bilgi => "Bilgi",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a list entry points at (registry row ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberTarget {
    Org(i64),
    Person(i64),
    List(i64),
}

/// An entry to add to a list.
#[derive(Debug, Clone)]
pub struct Member {
    pub target: MemberTarget,
    pub role: Role,
    /// Org kind the recipient must pass the document on to (its child orgs of that kind).
    pub cascade_kind: Option<String>,
    /// The instruction as printed: `İlçe Belediye Başkanlıklarına Duyurulacaktır`.
    pub cascade_text: Option<String>,
    /// How the entry is printed in a dağıtım block: `39 İlçe Kaymakamlığına`.
    pub label: Option<String>,
}

/// A list entry as loaded, with what it points at.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub list_id: i64,
    pub target: MemberTarget,
    pub role: Role,
    pub cascade_kind: Option<String>,
    pub cascade_text: Option<String>,
    pub label: Option<String>,
    /// Org code, person id, or list name.
    pub code: String,
    /// Org name, person name, or list title.
    pub name: String,
    /// Org kind (for a person: their org's kind).
    pub kind: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// For a person: their org's code.
    pub person_org: Option<String>,
    pub kep: Option<String>,
}

/// A list entry as read from the database, borrowing its text from the query's current row.
#[derive(Debug, Clone, Copy)]
pub struct MemberRef<'r> {
    pub list_id: i64,
    pub target: MemberTarget,
    pub role: Role,
    pub cascade_kind: Option<&'r str>,
    pub cascade_text: Option<&'r str>,
    pub label: Option<&'r str>,
    pub code: &'r str,
    pub name: &'r str,
    pub kind: &'r str,
    pub email: Option<&'r str>,
    pub title: Option<&'r str>,
    pub person_org: Option<&'r str>,
    pub kep: Option<&'r str>,
}

impl MemberRef<'_> {
    pub fn to_row(&self) -> MemberRow {
        let own = |s: Option<&str>| s.map(str::to_string);
        MemberRow {
            list_id: self.list_id,
            target: self.target,
            role: self.role,
            cascade_kind: own(self.cascade_kind),
            cascade_text: own(self.cascade_text),
            label: own(self.label),
            code: self.code.to_string(),
            name: self.name.to_string(),
            kind: self.kind.to_string(),
            email: own(self.email),
            title: own(self.title),
            person_org: own(self.person_org),
            kep: own(self.kep),
        }
    }
}

impl MemberRow {
    /// The entry as printed in a dağıtım block.
    pub fn display_text(&self) -> String {
        let base = self.label.clone().unwrap_or_else(|| self.name.clone());
        match &self.cascade_text {
            Some(c) => format!("{base} ({c})"),
            None => base,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ListInfo {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub entries: i64,
}

pub fn create(store: &mut Store, name: &str, title: Option<&str>) -> Result<ListInfo> {
    validate::code("NAME", name)?;
    if let Some(t) = title {
        validate::text("--title", t, 300)?;
    }
    store.write(|tx| {
        let id = store::lists::create(tx, name, title)?;
        store::lists::info(tx, id)
    })
}

/// Resolve a MEMBER argument: `@LIST`, `org:CODE`, `person:ID`, or a bare code that names exactly one org or person.
pub fn resolve_member(conn: &rusqlite::Connection, arg: &str) -> Result<MemberTarget> {
    if let Some(name) = arg.strip_prefix('@') {
        return Ok(MemberTarget::List(store::lists::id_of(conn, name)?));
    }
    if let Some(code) = arg.strip_prefix("org:") {
        return Ok(MemberTarget::Org(store::orgs::id_of(conn, code)?));
    }
    if let Some(code) = arg.strip_prefix("person:") {
        let p = store::people::find(conn, code)?.ok_or_else(|| Error::not_found("person", code))?;
        return Ok(MemberTarget::Person(p.id));
    }
    let org = store::orgs::find(conn, arg)?;
    let person = store::people::find(conn, arg)?;
    match (org, person) {
        (Some(o), None) => Ok(MemberTarget::Org(o.id)),
        (None, Some(p)) => Ok(MemberTarget::Person(p.id)),
        (Some(_), Some(_)) => Err(Error::invalid(
            "MEMBER",
            format!("{arg:?} is both an org code and a person id; write org:{arg} or person:{arg}"),
        )),
        (None, None) => Err(Error::NotFound {
            what: "org or person",
            key: arg.to_string(),
            hint: " (write @NAME for a list)".into(),
        }),
    }
}

/// Add members to a list in one transaction; a member that would make the list contain itself is refused.
pub fn add(store: &mut Store, list: &str, members: &[String], template: Member) -> Result<ListInfo> {
    if let Some(k) = &template.cascade_kind {
        validate::code("--cascade", k)?;
    }
    if let Some(t) = &template.cascade_text {
        validate::text("--cascade-text", t, 300)?;
    }
    if let Some(t) = &template.label {
        validate::text("--label", t, 300)?;
    }
    if members.is_empty() {
        return Err(Error::invalid("MEMBER", "give at least one member"));
    }
    store.write(|tx| {
        let list_id = store::lists::id_of(tx, list)?;
        for arg in members {
            let target = resolve_member(tx, arg)?;
            if let MemberTarget::List(sub) = target {
                if let Some(cycle) = find_cycle(tx, list_id, sub)? {
                    return Err(Error::Cycle(cycle));
                }
            }
            let mut m = template.clone();
            m.target = target;
            if m.cascade_kind.is_some() && m.cascade_text.is_none() {
                m.cascade_text = Some(super::kinds::cascade_text(m.cascade_kind.as_deref().unwrap_or_default()));
            }
            store::lists::add_member(tx, list_id, &m)?;
        }
        store::lists::info(tx, list_id)
    })
}

/// Remove members; a member that is not on the list is an error naming it.
pub fn remove(store: &mut Store, list: &str, members: &[String]) -> Result<ListInfo> {
    store.write(|tx| {
        let list_id = store::lists::id_of(tx, list)?;
        for arg in members {
            let target = resolve_member(tx, arg)?;
            if !store::lists::remove_member(tx, list_id, target)? {
                return Err(Error::invalid("MEMBER", format!("{arg:?} is not on list {list:?}")));
            }
        }
        store::lists::info(tx, list_id)
    })
}

/// Would adding `sub` to `list` make a cycle? Returns it as `a → b → a`.
fn find_cycle(conn: &rusqlite::Connection, list: i64, sub: i64) -> Result<Option<String>> {
    // Depth-first from `sub`, looking for `list`.
    fn walk(conn: &rusqlite::Connection, at: i64, goal: i64, path: &mut Vec<i64>, seen: &mut std::collections::HashSet<i64>) -> Result<bool> {
        path.push(at);
        if at == goal {
            return Ok(true);
        }
        if seen.insert(at) {
            for next in store::lists::sublists(conn, at)? {
                if walk(conn, next, goal, path, seen)? {
                    return Ok(true);
                }
            }
        }
        path.pop();
        Ok(false)
    }
    let mut path = vec![list];
    let mut seen = std::collections::HashSet::new();
    if walk(conn, sub, list, &mut path, &mut seen)? {
        let names = path.iter().map(|id| store::lists::name_of(conn, *id).map(|n| format!("@{n}"))).collect::<Result<Vec<_>>>()?;
        return Ok(Some(format!("{} (a list cannot contain itself)", names.join(" → "))));
    }
    Ok(None)
}
