//! Distribution lists: named, nested groups of orgs and people, each entry with a role and maybe a cascade duty.

use super::validate;
use crate::error::{Error, Result};
use tamim_store::Conn;
use tamim_store::{self as store, Store};

pub use tamim_core::list::{ListInfo, Member, MemberRef, MemberRow, MemberTarget, Role};

pub fn create(store: &mut Store, name: &str, title: Option<&str>) -> Result<ListInfo> {
    validate::code("list", name)?;
    if let Some(t) = title {
        validate::text("title", t, 300)?;
    }
    store.write(|tx| {
        let id = store::lists::create(tx, name, title)?;
        Ok(store::lists::info(tx, id)?)
    })
}

/// Resolve a MEMBER argument: `@LIST`, `org:CODE`, `person:ID`, or a bare code that names exactly one org or person.
pub fn resolve_member(conn: &Conn, arg: &str) -> Result<MemberTarget> {
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
            "member",
            format!("{arg:?} is both an org code and a person id; write org:{arg} or person:{arg}"),
        )),
        (None, None) => Err(Error::Domain(tamim_core::Error::NotFound {
            what: "org or person",
            key: arg.to_string(),
            hint: " (write @NAME for a list)".into(),
        })),
    }
}

/// Add members to a list in one transaction; a member that would make the list contain itself is refused.
pub fn add(store: &mut Store, list: &str, members: &[String], template: Member) -> Result<ListInfo> {
    if let Some(k) = &template.cascade_kind {
        validate::code("cascade", k)?;
    }
    if let Some(t) = &template.cascade_text {
        validate::text("cascade text", t, 300)?;
    }
    if let Some(t) = &template.label {
        validate::text("label", t, 300)?;
    }
    if members.is_empty() {
        return Err(Error::invalid("member", "give at least one member"));
    }
    store.write(|tx| {
        let list_id = store::lists::id_of(tx, list)?;
        for arg in members {
            let target = resolve_member(tx, arg)?;
            if let MemberTarget::List(sub) = target {
                if let Some(cycle) = find_cycle(tx, list_id, sub)? {
                    return Err(Error::Domain(tamim_core::Error::Cycle(cycle)));
                }
            }
            let mut m = template.clone();
            m.target = target;
            if m.cascade_kind.is_some() && m.cascade_text.is_none() {
                m.cascade_text = Some(super::kinds::cascade_text(
                    m.cascade_kind.as_deref().unwrap_or_default(),
                ));
            }
            store::lists::add_member(tx, list_id, &m)?;
        }
        Ok(store::lists::info(tx, list_id)?)
    })
}

/// Remove members; a member that is not on the list is an error naming it.
pub fn remove(store: &mut Store, list: &str, members: &[String]) -> Result<ListInfo> {
    store.write(|tx| {
        let list_id = store::lists::id_of(tx, list)?;
        for arg in members {
            let target = resolve_member(tx, arg)?;
            if !store::lists::remove_member(tx, list_id, target)? {
                return Err(Error::invalid("member", format!("{arg:?} is not on list {list:?}")));
            }
        }
        Ok(store::lists::info(tx, list_id)?)
    })
}

/// Would adding `sub` to `list` make a cycle? Returns it as `a → b → a`.
fn find_cycle(conn: &Conn, list: i64, sub: i64) -> Result<Option<String>> {
    // Depth-first from `sub`, looking for `list`.
    fn walk(
        conn: &Conn,
        at: i64,
        goal: i64,
        path: &mut Vec<i64>,
        seen: &mut std::collections::HashSet<i64>,
    ) -> Result<bool> {
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
        let names = path
            .iter()
            .map(|id| store::lists::name_of(conn, *id).map(|n| format!("@{n}")))
            .collect::<tamim_store::Result<Vec<_>>>()?;
        return Ok(Some(format!("{} (a list cannot contain itself)", names.join(" → "))));
    }
    Ok(None)
}
