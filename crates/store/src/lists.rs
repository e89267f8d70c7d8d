//! SQL for distribution lists and their members.

use rusqlite::{params, OptionalExtension};

use crate::Conn;

use super::now_text;
use crate::error::{Error, Result};
use tamim_core::list::{ListInfo, Member, MemberRef, MemberRow, MemberTarget, Role};

pub fn create(conn: &Conn, name: &str, title: Option<&str>) -> Result<i64> {
    if find_id(conn, name)?.is_some() {
        return Err(Error::duplicate("list", name.to_string()));
    }
    conn.raw().execute(
        "INSERT INTO lists (name, title, created_at) VALUES (?1, ?2, ?3)",
        params![name, title, now_text()],
    )?;
    Ok(conn.raw().last_insert_rowid())
}

pub fn find_id(conn: &Conn, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .raw()
        .query_row("SELECT id FROM lists WHERE name = ?1", [name], |r| r.get(0))
        .optional()?)
}

pub fn id_of(conn: &Conn, name: &str) -> Result<i64> {
    find_id(conn, name)?.ok_or_else(|| Error::not_found("list", name))
}

pub fn info(conn: &Conn, id: i64) -> Result<ListInfo> {
    Ok(conn.raw().query_row(
        "SELECT l.id, l.name, l.title, (SELECT count(*) FROM list_members m WHERE m.list_id = l.id) FROM lists l WHERE l.id = ?1",
        [id],
        |r| Ok(ListInfo { id: r.get(0)?, name: r.get(1)?, title: r.get(2)?, entries: r.get(3)? }),
    )?)
}

pub fn all(conn: &Conn) -> Result<Vec<ListInfo>> {
    let mut st = conn.raw().prepare(
        "SELECT l.id, l.name, l.title, (SELECT count(*) FROM list_members m WHERE m.list_id = l.id) FROM lists l",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok(ListInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                title: r.get(2)?,
                entries: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn add_member(conn: &Conn, list_id: i64, m: &Member) -> Result<()> {
    let pos: i64 = conn.raw().query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM list_members WHERE list_id = ?1",
        [list_id],
        |r| r.get(0),
    )?;
    let (org, person, sub) = match m.target {
        MemberTarget::Org(id) => (Some(id), None, None),
        MemberTarget::Person(id) => (None, Some(id), None),
        MemberTarget::List(id) => (None, None, Some(id)),
    };
    conn.raw().execute(
        "INSERT INTO list_members (list_id, position, org_id, person_id, sublist_id, role, cascade_kind, cascade_text, label, staff_duty)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT DO UPDATE SET role = excluded.role, cascade_kind = excluded.cascade_kind,
             cascade_text = excluded.cascade_text, label = excluded.label, staff_duty = excluded.staff_duty",
        params![list_id, pos, org, person, sub, m.role.as_str(), m.cascade_kind, m.cascade_text, m.label, m.staff_duty as i64],
    )?;
    Ok(())
}

/// Remove a member; returns whether it was there.
pub fn remove_member(conn: &Conn, list_id: i64, target: MemberTarget) -> Result<bool> {
    let n = match target {
        MemberTarget::Org(id) => conn.raw().execute(
            "DELETE FROM list_members WHERE list_id = ?1 AND org_id = ?2",
            params![list_id, id],
        )?,
        MemberTarget::Person(id) => conn.raw().execute(
            "DELETE FROM list_members WHERE list_id = ?1 AND person_id = ?2",
            params![list_id, id],
        )?,
        MemberTarget::List(id) => conn.raw().execute(
            "DELETE FROM list_members WHERE list_id = ?1 AND sublist_id = ?2",
            params![list_id, id],
        )?,
    };
    Ok(n > 0)
}

/// Sub-lists of a list (for cycle checks).
pub fn sublists(conn: &Conn, list_id: i64) -> Result<Vec<i64>> {
    let mut st = conn.raw().prepare_cached(
        "SELECT sublist_id FROM list_members WHERE list_id = ?1 AND sublist_id IS NOT NULL ORDER BY position",
    )?;
    let rows = st
        .query_map([list_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

pub fn name_of(conn: &Conn, id: i64) -> Result<String> {
    Ok(conn
        .raw()
        .query_row("SELECT name FROM lists WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The direct entries of one list, in order, with what they point at.
pub fn members(conn: &Conn, list_id: i64) -> Result<Vec<MemberRow>> {
    let mut st = members_of_one(conn)?;
    let mut rows = st.query([list_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(member_ref(r)?.to_row());
    }
    Ok(out)
}

/// The entries of one list (`?1`) in position order, read along the `(list_id, position)` index.
fn members_of_one(conn: &Conn) -> rusqlite::Result<rusqlite::CachedStatement<'_>> {
    conn.raw().prepare_cached(&format!(
        "SELECT {MEMBER_COLS} FROM list_members m {MEMBER_JOINS} WHERE m.list_id = ?1 ORDER BY m.position"
    ))
}

const MEMBER_COLS: &str =
    "m.list_id, m.org_id, m.person_id, m.sublist_id, m.role, m.cascade_kind, m.cascade_text, m.label,
       coalesce(o.code, p.code, l.name), coalesce(o.name, p.name, l.title, l.name),
       coalesce(o.kind, po.kind, ''), coalesce(o.email, p.email), p.title, po.code, o.kep";

/// What a member row points at (joined after `list_members m` and any inner join).
const MEMBER_JOINS: &str = "LEFT JOIN orgs o ON o.id = m.org_id
  LEFT JOIN people p ON p.id = m.person_id
  LEFT JOIN orgs po ON po.id = p.org_id
  LEFT JOIN lists l ON l.id = m.sublist_id";

/// The current row as a [`MemberRef`], borrowing its text from the statement (no allocation).
fn member_ref<'r>(r: &'r rusqlite::Row) -> rusqlite::Result<MemberRef<'r>> {
    let org: Option<i64> = r.get(1)?;
    let person: Option<i64> = r.get(2)?;
    let sub: Option<i64> = r.get(3)?;
    let target = match (org, person, sub) {
        (Some(id), _, _) => MemberTarget::Org(id),
        (_, Some(id), _) => MemberTarget::Person(id),
        (_, _, Some(id)) => MemberTarget::List(id),
        _ => MemberTarget::Org(0),
    };
    let text = |i: usize| -> rusqlite::Result<Option<&'r str>> {
        r.get_ref(i)?
            .as_str_or_null()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
    };
    Ok(MemberRef {
        list_id: r.get(0)?,
        target,
        role: Role::parse_stored(text(4)?.unwrap_or_default()),
        cascade_kind: text(5)?,
        cascade_text: text(6)?,
        label: text(7)?,
        code: text(8)?.unwrap_or_default(),
        name: text(9)?.unwrap_or_default(),
        kind: text(10)?.unwrap_or_default(),
        email: text(11)?,
        title: text(12)?,
        person_org: text(13)?,
        kep: text(14)?,
    })
}

/// Every entry of every list reachable from `root`, list by list (each list's entries together, in
/// position order, straight from the `(list_id, position)` index: no sort of a million rows); `visit` sees
/// each row borrowed, so a million rows need no million strings. Each list is read once, even when a
/// cycle or several paths reach it.
pub fn for_each_reachable_member<E: From<Error>>(
    conn: &Conn,
    root: i64,
    mut visit: impl FnMut(&MemberRef<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut st = members_of_one(conn).map_err(Error::from)?;
    let mut queue = std::collections::VecDeque::from([root]);
    let mut seen = std::collections::HashSet::from([root]);
    while let Some(list) = queue.pop_front() {
        let mut rows = st.query([list]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            let m = member_ref(r).map_err(Error::from)?;
            if let MemberTarget::List(sub) = m.target {
                if seen.insert(sub) {
                    queue.push_back(sub);
                }
            }
            visit(&m)?;
        }
    }
    Ok(())
}

/// The names of all lists, by id (for paths and cycle messages).
pub fn names(conn: &Conn) -> Result<std::collections::HashMap<i64, String>> {
    let mut st = conn.raw().prepare("SELECT id, name FROM lists")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
