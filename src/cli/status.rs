//! `tamim status DOC`: counts per state and role, % acknowledged, and the late ones.

use clap::Args;

use super::output::table;
use super::{errors, i18n, open, Cli, Out};
use crate::t;
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
    let today = chrono::Utc::now().with_timezone(&reg.config.office.zone()).date_naive();
    let s = status::status(&reg.store.conn, id, &reg.config.ack, today)?;
    out.print(&s, |s| {
        let mut o = t!(
            "status-head",
            id = s.document,
            sayi = s.sayi.clone().unwrap_or_default(),
            tarih = i18n::date_text(&s.tarih),
            konu = s.konu.clone()
        );
        o.push_str(&t!(
            "status-line",
            total = s.total,
            count = i18n::int(s.total),
            percent = i18n::percent(s.acknowledged_percent),
            deadline = i18n::date_text(&s.deadline),
            source = s.deadline_source.clone()
        ));
        let states: Vec<String> = s.counts.keys().cloned().collect();
        let shown: Vec<String> = states.iter().map(|st| errors::state_text(st)).collect();
        let role = t!("status-col-role");
        let mut header = vec![role.as_str()];
        header.extend(shown.iter().map(String::as_str));
        let mut rows: Vec<Vec<String>> = s
            .by_role
            .iter()
            .map(|(role, m)| {
                std::iter::once(role.clone())
                    .chain(states.iter().map(|st| i18n::int(m.get(st).copied().unwrap_or(0))))
                    .collect()
            })
            .collect();
        rows.push(
            std::iter::once(t!("status-all"))
                .chain(states.iter().map(|st| i18n::int(s.counts[st])))
                .collect(),
        );
        o.push_str(&table(&header, &rows));
        if s.late.is_empty() {
            o.push_str(&t!("status-no-one-late"));
        } else {
            o.push_str(&t!("status-late", count = s.late.len() as i64));
            let rows: Vec<Vec<String>> = s
                .late
                .iter()
                .take(50)
                .map(|l| {
                    vec![
                        l.recipient.clone(),
                        l.name.clone(),
                        l.role.clone(),
                        errors::state(l.state),
                        i18n::int(l.reminders),
                        i18n::int(l.days_late),
                    ]
                })
                .collect();
            let header = [
                t!("status-col-recipient"),
                t!("status-col-name"),
                t!("status-col-role"),
                t!("status-col-state"),
                t!("status-col-reminders"),
                t!("status-col-days-late"),
            ];
            o.push_str(&table(&header.each_ref().map(String::as_str), &rows));
            if s.late.len() > 50 {
                o.push_str(&t!("status-more", count = (s.late.len() - 50) as i64));
            }
        }
        o
    });
    Ok(())
}
