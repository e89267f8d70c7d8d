//! Distribution of an issued document: its dağıtım expanded and frozen into one delivery per recipient.

pub mod freeze;
pub mod send;
pub mod token;
