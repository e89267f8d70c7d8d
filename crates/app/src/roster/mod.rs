//! Staff rosters per office (`roster import`, `roster show`) and the staff coverage of a document.

pub mod coverage;
pub mod delegate;
pub mod import;
pub mod signoff;
pub mod staff_ack;
