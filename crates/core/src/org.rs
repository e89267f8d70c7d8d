//! Offices (orgs): the governorship, a district governorship, a chamber union, a member chamber.
use crate::error::{Error, Result};
use crate::validate;

use serde::{Deserialize, Serialize};

/// An office as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Org {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub kep: Option<String>,
    pub detsis: Option<String>,
}

/// An office to add.
#[derive(Debug, Clone, Default)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub email: Option<String>,
    pub kep: Option<String>,
    pub detsis: Option<String>,
}

impl NewOrg {
    /// Check every field; `prefix` names where the value came from (`--email`, `line 7: email`).
    pub fn validate(&self, prefix: &str) -> Result<()> {
        validate::code(&format!("{prefix}code"), &self.code)?;
        validate::text(&format!("{prefix}name"), &self.name, 300)?;
        validate::optional_code(&format!("{prefix}kind"), &self.kind)?;
        if let Some(e) = &self.email {
            validate::email(&format!("{prefix}email"), e)?;
        }
        if let Some(e) = &self.kep {
            validate::email(&format!("{prefix}kep"), e)?;
        }
        if let Some(d) = &self.detsis {
            if !d.chars().all(|c| c.is_ascii_digit()) || d.is_empty() || d.len() > 12 {
                return Err(Error::invalid(
                    format!("{prefix}detsis"),
                    format!("{d:?} is not a DETSİS number (digits only)"),
                ));
            }
        }
        if self.parent.as_deref() == Some(self.code.as_str()) {
            return Err(Error::invalid(
                format!("{prefix}parent"),
                format!("org {:?} cannot be its own parent", self.code),
            ));
        }
        Ok(())
    }
}
