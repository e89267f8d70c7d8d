//! Distribution lists: named, nested groups of orgs and people, each entry with a role and maybe a cascade duty.

use serde::{Deserialize, Serialize};

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
    /// "Notify all staff": the recipient office is covered only when everyone on its roster on the issue
    /// date has acknowledged or is exempt.
    pub staff_duty: bool,
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
