//! SQL for distribution lists and their members.

use rusqlite::{params, Connection, OptionalExtension};

use super::now_text;
use crate::error::{Error, Result};
use crate::registry::list::{ListInfo, Member, MemberRow, MemberTarget, Role};

pub fn create(conn: &Connection, name: &str, title: Option<&str>) -> Result<i64> {
    if find_id(conn, name)?.is_some() {
        return Err(Error::Duplicate { what: "list", key: name.to_string() });
    }
    conn.execute("INSERT INTO lists (name, title, created_at) VALUES (?1, ?2, ?3)", params![name, title, now_text()])?;
    Ok(conn.last_insert_rowid())
}

pub fn find_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM lists WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

pub fn id_of(conn: &Connection, name: &str) -> Result<i64> {
    find_id(conn, name)?.ok_or_else(|| Error::not_found("list", name))
}

pub fn info(conn: &Connection, id: i64) -> Result<ListInfo> {
    Ok(conn.query_row(
        "SELECT l.id, l.name, l.title, (SELECT count(*) FROM list_members m WHERE m.list_id = l.id) FROM lists l WHERE l.id = ?1",
        [id],
        |r| Ok(ListInfo { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, entries: r.get(3)? }),
    )?)
}

pub fn all(conn: &Connection) -> Result<Vec<ListInfo>> {
    let mut st = conn.prepare(
        "SELECT l.id, l.name, l.title, (SELECT count(*) FROM list_members m WHERE m.list_id = l.id) FROM lists l",
    )?;
    let rows = st
        .query_map([], |r| Ok(ListInfo { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, entries: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn add_member(conn: &Connection, list_id: i64, m: &Member) -> Result<()> {
    let pos: i64 = conn.query_row("SELECT coalesce(max(position), 0) + 1 FROM list_members WHERE list_id = ?1", [list_id], |r| r.get(0))?;
    let (org, person, sub) = match m.target {
        MemberTarget::Org(id) => (Some(id), None, None),
        MemberTarget::Person(id) => (None, Some(id), None),
        MemberTarget::List(id) => (None, None, Some(id)),
    };
    conn.execute(
        "INSERT INTO list_members (list_id, position, org_id, person_id, sublist_id, role, cascade_kind, cascade_text, label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT DO UPDATE SET role = excluded.role, cascade_kind = excluded.cascade_kind,
             cascade_text = excluded.cascade_text, label = excluded.label",
        params![list_id, pos, org, person, sub, m.role.as_str(), m.cascade_kind, m.cascade_text, m.label],
    )?;
    Ok(())
}

/// Remove a member; returns whether it was there.
pub fn remove_member(conn: &Connection, list_id: i64, target: MemberTarget) -> Result<bool> {
    let n = match target {
        MemberTarget::Org(id) => conn.execute("DELETE FROM list_members WHERE list_id = ?1 AND org_id = ?2", params![list_id, id])?,
        MemberTarget::Person(id) => {
            conn.execute("DELETE FROM list_members WHERE list_id = ?1 AND person_id = ?2", params![list_id, id])?
        }
        MemberTarget::List(id) => {
            conn.execute("DELETE FROM list_members WHERE list_id = ?1 AND sublist_id = ?2", params![list_id, id])?
        }
    };
    Ok(n > 0)
}

/// Sub-lists of a list (for cycle checks).
pub fn sublists(conn: &Connection, list_id: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare_cached("SELECT sublist_id FROM list_members WHERE list_id = ?1 AND sublist_id IS NOT NULL ORDER BY position")?;
    let rows = st.query_map([list_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

pub fn name_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM lists WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The direct entries of one list, in order, with what they point at.
pub fn members(conn: &Connection, list_id: i64) -> Result<Vec<MemberRow>> {
    let mut st = conn.prepare_cached(SELECT_MEMBERS_OF_ONE)?;
    let rows = st.query_map([list_id], member_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

const MEMBER_COLS: &str = "m.list_id, m.org_id, m.person_id, m.sublist_id, m.role, m.cascade_kind, m.cascade_text, m.label,
       coalesce(o.code, p.code, l.name), coalesce(o.name, p.name, l.title, l.name),
       coalesce(o.kind, po.kind, ''), coalesce(o.email, p.email), p.title, po.code, o.kep";

const SELECT_MEMBERS_OF_ONE: &str = "SELECT m.list_id, m.org_id, m.person_id, m.sublist_id, m.role, m.cascade_kind, m.cascade_text, m.label,
       coalesce(o.code, p.code, l.name), coalesce(o.name, p.name, l.title, l.name),
       coalesce(o.kind, po.kind, ''), coalesce(o.email, p.email), p.title, po.code, o.kep
  FROM list_members m
  LEFT JOIN orgs o ON o.id = m.org_id
  LEFT JOIN people p ON p.id = m.person_id
  LEFT JOIN orgs po ON po.id = p.org_id
  LEFT JOIN lists l ON l.id = m.sublist_id
 WHERE m.list_id = ?1 ORDER BY m.position";

fn member_row(r: &rusqlite::Row) -> rusqlite::Result<MemberRow> {
    let org: Option<i64> = r.get(1)?;
    let person: Option<i64> = r.get(2)?;
    let sub: Option<i64> = r.get(3)?;
    let target = match (org, person, sub) {
        (Some(id), _, _) => MemberTarget::Org(id),
        (_, Some(id), _) => MemberTarget::Person(id),
        (_, _, Some(id)) => MemberTarget::List(id),
        _ => MemberTarget::Org(0),
    };
    let role: String = r.get(4)?;
    Ok(MemberRow {
        list_id: r.get(0)?,
        target,
        role: Role::parse(&role).unwrap_or(Role::Gereği),
        cascade_kind: r.get(5)?,
        cascade_text: r.get(6)?,
        label: r.get(7)?,
        code: r.get(8)?,
        name: r.get(9)?,
        kind: r.get(10)?,
        email: r.get(11)?,
        title: r.get(12)?,
        person_org: r.get(13)?,
        kep: r.get(14)?,
    })
}

/// Every entry of every list reachable from `root`, grouped by list id (one query per list level).
pub fn reachable_members(conn: &Connection, root: i64) -> Result<std::collections::HashMap<i64, Vec<MemberRow>>> {
    let sql = format!(
        "WITH RECURSIVE reach(id) AS (
             SELECT ?1
             UNION SELECT m.sublist_id FROM list_members m JOIN reach ON m.list_id = reach.id WHERE m.sublist_id IS NOT NULL)
         SELECT {MEMBER_COLS}
           FROM list_members m
           JOIN reach ON reach.id = m.list_id
           LEFT JOIN orgs o ON o.id = m.org_id
           LEFT JOIN people p ON p.id = m.person_id
           LEFT JOIN orgs po ON po.id = p.org_id
           LEFT JOIN lists l ON l.id = m.sublist_id
          ORDER BY m.list_id, m.position"
    );
    let mut st = conn.prepare(&sql)?;
    let mut map: std::collections::HashMap<i64, Vec<MemberRow>> = std::collections::HashMap::new();
    let mut rows = st.query([root])?;
    while let Some(r) = rows.next()? {
        let m = member_row(r)?;
        map.entry(m.list_id).or_default().push(m);
    }
    Ok(map)
}
