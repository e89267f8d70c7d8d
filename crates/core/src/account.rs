//! The office's own people: the roles they hold (each scoped to the office or one of its units) and the
//! rules of a username and a password. No I/O; the store keeps them, the app checks and hashes.

use serde::Serialize;

/// What a person may do in the office's name. Identifiers are English (stored, JSON); every label a user
/// reads is Turkish ([`Role::label_tr`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// kayıt: registers incoming documents.
    Registrar,
    /// hazırlayan: drafts follow-ons.
    Drafter,
    /// paraf: reviews a draft.
    Reviewer,
    /// imza: signs and issues.
    Signer,
    /// dağıtım: sends, records acknowledgements.
    Dispatcher,
    /// denetçi: reads the auditor's views, changes nothing.
    Auditor,
    /// yönetici: users and settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Registrar,
        Role::Drafter,
        Role::Reviewer,
        Role::Signer,
        Role::Dispatcher,
        Role::Auditor,
        Role::Admin,
    ];

    /// The stored identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Registrar => "registrar",
            Role::Drafter => "drafter",
            Role::Reviewer => "reviewer",
            Role::Signer => "signer",
            Role::Dispatcher => "dispatcher",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    /// The office's word for it.
    pub fn label_tr(self) -> &'static str {
        match self {
            Role::Registrar => "kayıt",
            Role::Drafter => "hazırlayan",
            Role::Reviewer => "paraf",
            Role::Signer => "imza",
            Role::Dispatcher => "dağıtım",
            Role::Auditor => "denetçi",
            Role::Admin => "yönetici",
        }
    }

    /// A role by its Turkish label (with or without its Turkish letters: `dagitim`, `denetci`) or its
    /// identifier.
    pub fn parse(s: &str) -> Option<Role> {
        let folded = crate::turkish::fold(s.trim());
        Role::ALL
            .into_iter()
            .find(|r| folded == crate::turkish::fold(r.label_tr()) || folded == r.as_str())
    }
}

/// Where a role holds: the whole office, or one of its units (by the unit's name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Office,
    Unit(String),
}

/// One role a person holds, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

impl Grant {
    /// `paraf` (office-wide) or `paraf:Hukuk Birimi` (one unit).
    pub fn parse(s: &str) -> Result<Grant, crate::Error> {
        let (role, unit) = match s.split_once(':') {
            Some((r, u)) => (r, Some(u.trim())),
            None => (s, None),
        };
        let role = Role::parse(role).ok_or_else(|| crate::Error::invalid("role", s.to_string()))?;
        let scope = match unit {
            None => Scope::Office,
            Some("") => return Err(crate::Error::invalid("role", s.to_string())),
            Some(u) => Scope::Unit(u.to_string()),
        };
        Ok(Grant { role, scope })
    }

    pub fn unit(&self) -> Option<&str> {
        match &self.scope {
            Scope::Office => None,
            Scope::Unit(u) => Some(u),
        }
    }

    /// As a user reads it: `paraf` or `paraf (Hukuk Birimi)`.
    pub fn label_tr(&self) -> String {
        match &self.scope {
            Scope::Office => self.role.label_tr().to_string(),
            Scope::Unit(u) => format!("{} ({u})", self.role.label_tr()),
        }
    }
}

impl Serialize for Grant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Grant", 2)?;
        st.serialize_field("role", &self.role)?;
        st.serialize_field("unit", &self.unit())?;
        st.end()
    }
}

/// A user account as the office sees it (never its password hash).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub roles: Vec<Grant>,
}

impl User {
    /// Holds `role` anywhere (office-wide or in a unit).
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    /// Holds any of `roles`; a yönetici holds every role's reading rights too, but not its steps: callers
    /// list [`Role::Admin`] explicitly where it is allowed.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }
}

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A username: 2–32 of `a–z`, `0–9`, `.`, `_`, `-`, starting with a letter.
pub fn valid_username(s: &str) -> bool {
    let n = s.chars().count();
    (2..=32).contains(&n)
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_turkish_label_with_or_without_turkish_letters() {
        assert_eq!(Role::parse("dağıtım"), Some(Role::Dispatcher));
        assert_eq!(Role::parse("dagitim"), Some(Role::Dispatcher));
        assert_eq!(Role::parse("DENETÇİ"), Some(Role::Auditor));
        assert_eq!(Role::parse("yönetici"), Some(Role::Admin));
        assert_eq!(Role::parse("kayıt"), Some(Role::Registrar));
        assert_eq!(Role::parse("reviewer"), Some(Role::Reviewer));
        assert_eq!(Role::parse("müdür"), None);
        let g = Grant::parse("paraf:Hukuk Birimi").unwrap();
        assert_eq!(g.role, Role::Reviewer);
        assert_eq!(g.unit(), Some("Hukuk Birimi"));
        assert!(Grant::parse("paraf:").is_err());
        assert!(valid_username("ayse.yilmaz"));
        assert!(!valid_username("Ayşe"));
        assert!(!valid_username("a"));
    }
}
