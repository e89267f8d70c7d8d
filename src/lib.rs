//! The seed's chain as a demo (`tamim demo`): the Kurul, İstanbul Valiliği and İESOB, each registering,
//! issuing, sending and auditing through the same application functions the commands use. A library target
//! so the benchmarks can build the chain too; the command itself is `src/main.rs` + `src/cli/`.

pub mod demo;
