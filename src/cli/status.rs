//! `tamim status DOC`: counts per state and role, % acknowledged, and the late ones.

use clap::Args;

use super::output::table;
use super::sheet::{export_book, ExportFlags};
use super::{errors, i18n, open, Cli, Out};
use crate::t;
use tamim_app::ack::status;
use tamim_app::registry::document;
use tamim_app::sheet::{self, Book, Cell, Column, Table, Type};
use tamim_core::state::ALL;

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The document (#12, a sayı as printed, 2021/243).
    pub doc: String,
    /// csv and csv-excel write the late list; xlsx a workbook of the counts and the late list.
    #[command(flatten)]
    pub export: ExportFlags,
}

/// The late list's columns.
const LATE: [Column; 8] = [
    Column::new("recipient", "Alıcı Kodu", Type::Text, 14.0),
    Column::new("name", "Alıcı", Type::Text, 40.0),
    Column::new("role", "Gereği/Bilgi", Type::Text, 12.0),
    Column::new("state", "Durum", Type::Text, 16.0),
    Column::new("email", "E-posta", Type::Text, 28.0),
    Column::new("reminders", "Hatırlatma", Type::Int, 11.0),
    Column::new("deadline", "Son Gün", Type::Date, 11.0),
    Column::new("days_late", "Gecikme (gün)", Type::Int, 13.0),
];

/// Write the late list as a table.
fn late_rows<W: std::io::Write>(s: &status::Status, t: &mut Table<W>) -> tamim_app::Result<()> {
    let deadline = chrono::NaiveDate::parse_from_str(&s.deadline, "%Y-%m-%d").ok();
    for l in &s.late {
        t.row(&[
            l.recipient.as_str().into(),
            l.name.as_str().into(),
            l.role.as_str().into(),
            l.state.label_tr().into(),
            l.email.as_deref().into(),
            Cell::Int(l.reminders),
            deadline.map_or(Cell::Empty, Cell::Date),
            Cell::Int(l.days_late),
        ])?;
    }
    Ok(())
}

/// The workbook: the counts per role and state, then the late list.
fn book(s: &status::Status, b: &mut Book) -> tamim_app::Result<()> {
    let mut columns = vec![Column::new("role", "Gereği/Bilgi", Type::Text, 14.0)];
    columns.extend(
        ALL.iter()
            .map(|st| Column::new(st.as_str(), st.label_tr(), Type::Int, 15.0)),
    );
    columns.push(Column::new("total", "Toplam", Type::Int, 10.0));
    columns.push(Column::new("acknowledged_percent", "Tebellüğ %", Type::Decimal, 11.0));
    let mut counts = b.sheet("Durum", &columns)?;
    let all = std::iter::once(("tümü", &s.counts));
    for (role, m) in s.by_role.iter().map(|(r, m)| (r.as_str(), m)).chain(all) {
        let total: i64 = m.values().sum();
        let acked = m.get("acknowledged").copied().unwrap_or(0);
        let mut row = vec![Cell::Text(role)];
        row.extend(ALL.iter().map(|st| Cell::Int(m.get(st.as_str()).copied().unwrap_or(0))));
        row.push(Cell::Int(total));
        row.push(Cell::Decimal(status::percent(acked, total)));
        counts.row(&row)?;
    }
    late_rows(s, &mut Table::<std::io::Sink>::Xlsx(b.sheet("Gecikenler", &LATE)?))
}

pub fn run(cli: &Cli, out: &Out, a: &StatusArgs) -> tamim_app::Result<()> {
    let reg = open(cli)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let today = chrono::Utc::now().with_timezone(&reg.config.office.zone()).date_naive();
    let s = status::status(&reg.store.conn, id, &reg.config.ack, today)?;
    if let Some(format) = a.export.sheet() {
        let name = format!("durum-{id}");
        return export_book(
            cli,
            &reg,
            &a.export,
            format,
            &name,
            |b| book(&s, b),
            |w| {
                sheet::write_table(format, "Gecikenler", &LATE, w, reg.config.office.zone(), |t| {
                    late_rows(&s, t)
                })
            },
        );
    }
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
