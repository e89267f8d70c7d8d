//! `tamim send DOC`: e-mail an issued document to every recipient, one message each, through the outbox.

use clap::Args;
use std::io::IsTerminal;

use std::io::Write;

use super::output::{strs, table, write_walked_table};
use super::{open, Cli, Finished, Out};
use crate::t;
use tamim_app::distribution::send::{self, Failure, SendOptions, SendSummary};
use tamim_app::registry::document;

#[derive(Args, Debug)]
#[command(after_help = "Exit status:
  0  every recipient with an e-mail address was sent or is already done, in this run or before (those
     without one are listed, to be reached on paper or by KEP)
  1  an error: a bad option or document, or the server unreachable or refusing (authentication, or the
     sender at MAIL FROM); the run stops, nothing unsent is marked, the message says where it tried
  3  the run finished, the summary printed, but some recipients failed, in this run or an earlier one
     not retried (the server's reply is shown; fix the address and use --retry-failed), or were
     deferred (a temporary failure; run send again)")]
pub struct SendArgs {
    /// The issued document (#12, its sayı, or 2021/243).
    pub doc: String,
    /// file (one .eml per message in output/outbox) or smtp; default from office.toml.
    #[arg(long)]
    pub transport: Option<String>,
    /// SMTP server: smtp://host:port, smtps://host:port, smtp://host:port?tls=starttls (implies --transport smtp; refused with --transport file).
    #[arg(long)]
    pub smtp: Option<String>,
    /// List who would get what; send and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Rounds of retry for transient failures.
    #[arg(long, default_value_t = 3)]
    pub attempts: u32,
    /// Seconds before the first retry (doubles each round).
    #[arg(long, default_value_t = 2.0)]
    pub backoff: f64,
    /// Send again to the recipients that failed for good in an earlier run (each put back in the queue, recorded).
    #[arg(long)]
    pub retry_failed: bool,
}

/// A flag set by SIGTERM or SIGINT (Ctrl-C): the outbox claims nothing more and finishes what is in flight.
/// A second signal ends the process at once (what is in flight is then sent again by the next run).
fn stop_on_signal() -> tamim_app::Result<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [SIGTERM, SIGINT] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, flag.clone())
            .and_then(|_| signal_hook::flag::register(sig, flag.clone()))
            .map_err(|e| tamim_app::Error::runtime("cannot handle SIGTERM/SIGINT", e))?;
    }
    Ok(flag)
}

/// Sends; [`Finished::Incomplete`] when some recipients failed or were deferred (after the summary is printed).
pub fn run(cli: &Cli, out: &Out, a: &SendArgs) -> tamim_app::Result<Finished> {
    let mut reg = open(cli)?;
    reg.check_output_dir(&cli.output)?;
    let id = document::resolve(&reg.store.conn, &a.doc)?;
    let opts = SendOptions {
        transport: a.transport.clone(),
        smtp_url: a.smtp.clone(),
        dry_run: a.dry_run,
        max_attempts: a.attempts,
        backoff_secs: a.backoff,
        retry_failed: a.retry_failed,
        stop: Some(stop_on_signal()?),
    };
    if a.dry_run {
        return dry_run(&reg, id, &opts, out).map(|()| Finished::Complete);
    }
    let bar = if !out.json && std::io::stderr().is_terminal() && !a.dry_run {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} messages · {per_sec} · ETA {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let result = send::send(&mut reg, id, &cli.output, &opts, &mut progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let s = result?;
    out.print(&s, render);
    Ok(if s.failed > 0 || s.failed_earlier > 0 || s.deferred > 0 {
        Finished::Incomplete
    } else {
        Finished::Complete
    })
}

/// Who would get what, printed as the recipients are read (the plan is walked, never held: a list of a
/// million prints in little memory). The JSON is the summary with every recipient under `plan`.
fn dry_run(reg: &tamim_app::registry::Registry, id: i64, opts: &SendOptions, out: &Out) -> tamim_app::Result<()> {
    let run = send::dry_run(reg, id, opts)?;
    let s = &run.summary;
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    let io = |e: std::io::Error| tamim_app::Error::io("standard output", e);
    if out.json {
        let head = serde_json::to_string_pretty(s)?;
        let head = head.strip_suffix('}').unwrap_or(&head).trim_end();
        write!(w, "{head},\n  \"plan\": [").map_err(io)?;
        let mut first = true;
        run.for_each(|p| {
            let row = serde_json::to_string(p)?;
            write!(w, "{}\n    {row}", if first { "" } else { "," }).map_err(io)?;
            first = false;
            Ok(())
        })?;
        writeln!(w, "\n  ]\n}}").map_err(io)?;
    } else {
        let would = s.message.as_ref().map_or(0, |m| m.would_send);
        writeln!(
            w,
            "{}",
            t!(
                "send-dry-run",
                label = s.label.clone(),
                would = would,
                total = s.recipients
            )
        )
        .map_err(io)?;
        if let Some(m) = &s.message {
            let pdf = m.pdf.clone();
            let line = t!(
                "send-dry-run-message",
                subject = m.subject.clone(),
                pdf = pdf,
                bytes = m.pdf_bytes as i64
            );
            writeln!(w, "{line}").map_err(io)?;
        }
        let header = [
            t!("col-recipient"),
            t!("col-email"),
            t!("col-role"),
            t!("col-cascade"),
            t!("col-now"),
        ];
        write_walked_table(&mut w, &strs(&header), |row| {
            run.for_each(|p| {
                let email = p
                    .email
                    .clone()
                    .unwrap_or_else(|| t!("send-no-email", channel = p.channel.clone()));
                row(&[
                    p.name.clone(),
                    email,
                    p.role.clone(),
                    p.cascade.clone().unwrap_or_default(),
                    p.action.clone(),
                ])
            })
        })?;
    }
    w.flush().map_err(io)
}

fn render(s: &SendSummary) -> String {
    let mut o = String::new();
    o.push_str(&t!(
        "send-summary",
        label = s.label.clone(),
        transport = s.transport.clone(),
        recipients = s.recipients,
        sent = s.sent,
        failed = s.failed,
        skipped = s.skipped,
        no_address = s.no_address,
        deferred = s.deferred
    ));
    if s.failed_earlier > 0 {
        o.push_str(&t!("send-failed-earlier", count = s.failed_earlier));
    }
    o.push('\n');
    if s.requeued > 0 {
        o.push_str(&t!("send-requeued", count = s.requeued));
    }
    if s.resent_in_flight > 0 {
        o.push_str(&t!("send-resent", count = s.resent_in_flight));
    }
    replies(&mut o, &t!("send-heading-failed"), &s.failures);
    replies(&mut o, &t!("send-heading-failed-earlier"), &s.earlier_failures);
    replies(&mut o, &t!("send-heading-deferred"), &s.deferrals);
    if !s.needs_other_channel.is_empty() {
        o.push_str(&t!("send-heading-no-email"));
        let rows: Vec<Vec<String>> = s
            .needs_other_channel
            .iter()
            .map(|p| vec![p.name.clone(), p.recipient.clone(), p.channel.clone()])
            .collect();
        o.push_str(&table(
            &strs(&[t!("col-recipient"), t!("col-code"), t!("col-channel")]),
            &rows,
        ));
    }
    o
}

/// A heading and one row per recipient with the server's reply, when there are any.
fn replies(o: &mut String, heading: &str, rows: &[Failure]) {
    if rows.is_empty() {
        return;
    }
    o.push_str(&format!("\n{heading}:\n"));
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|f| vec![f.name.clone(), f.email.clone().unwrap_or_default(), f.reply.clone()])
        .collect();
    o.push_str(&table(
        &strs(&[t!("col-recipient"), t!("col-email"), t!("col-server-reply")]),
        &rows,
    ));
}
