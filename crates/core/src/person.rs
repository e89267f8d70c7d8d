//! People: the staff of an org, who are notified too ("her düzeydeki kamu görevlisine").
use crate::error::Result;
use crate::validate;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    #[serde(rename = "id")]
    pub code: String,
    pub name: String,
    pub title: Option<String>,
    pub org: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub code: String,
    pub name: String,
    pub title: Option<String>,
    pub org: String,
    pub email: Option<String>,
}

impl NewPerson {
    pub fn validate(&self, prefix: &str, id_field: &str) -> Result<()> {
        validate::code(&format!("{prefix}{id_field}"), &self.code)?;
        validate::text(&format!("{prefix}name"), &self.name, 200)?;
        if let Some(t) = &self.title {
            validate::text(&format!("{prefix}title"), t, 200)?;
        }
        validate::code(&format!("{prefix}org"), &self.org)?;
        if let Some(e) = &self.email {
            validate::email(&format!("{prefix}email"), e)?;
        }
        Ok(())
    }
}
