//! `tamim status DOC`: counts per state and role, % acknowledged, and the late ones.

use clap::Args;

use super::output::table;
use super::{open, Cli, Out};
use tamim_app::ack::status;
use tamim_app::registry::document;

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
}

pub fn run(cli: &Cli, out: &Out, a: &StatusArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let today = chrono::Utc::now()
        .with_timezone(&tamim_app::ack::time::turkey())
        .date_naive();
    let s = status::status(&reg.store.conn, id, &reg.config.ack, today)?;
    out.print(&s, |s| {
        let mut o = format!(
            "#{} {} · {} · {}\n{} recipients · {:.1}% acknowledged · deadline {} ({})\n\n",
            s.document,
            s.sayi.clone().unwrap_or_default(),
            s.tarih,
            s.konu,
            s.total,
            s.acknowledged_percent,
            s.deadline,
            s.deadline_source
        );
        let states: Vec<String> = s.counts.keys().cloned().collect();
        let mut header = vec!["role"];
        header.extend(states.iter().map(String::as_str));
        let mut rows: Vec<Vec<String>> = s
            .by_role
            .iter()
            .map(|(role, m)| {
                std::iter::once(role.clone())
                    .chain(states.iter().map(|st| m.get(st).copied().unwrap_or(0).to_string()))
                    .collect()
            })
            .collect();
        rows.push(
            std::iter::once("all".to_string())
                .chain(states.iter().map(|st| s.counts[st].to_string()))
                .collect(),
        );
        o.push_str(&table(&header, &rows));
        if s.late.is_empty() {
            o.push_str("\nNo one is late.\n");
        } else {
            o.push_str(&format!("\nLate ({}):\n", s.late.len()));
            let rows: Vec<Vec<String>> = s
                .late
                .iter()
                .take(50)
                .map(|l| {
                    vec![
                        l.recipient.clone(),
                        l.name.clone(),
                        l.role.clone(),
                        l.state.to_string(),
                        l.reminders.to_string(),
                        l.days_late.to_string(),
                    ]
                })
                .collect();
            o.push_str(&table(
                &["recipient", "name", "role", "state", "reminders", "days late"],
                &rows,
            ));
            if s.late.len() > 50 {
                o.push_str(&format!("… and {} more (--json lists all)\n", s.late.len() - 50));
            }
        }
        o
    });
    Ok(())
}
