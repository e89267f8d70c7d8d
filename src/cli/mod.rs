//! The command line: argument parsing, one module per subcommand, and the single place that prints errors.

mod ack;
mod audit;
mod chain;
mod completions;
mod demo;
mod draft;
mod errors;
mod export;
mod help;
pub mod i18n;
mod init;
mod intake;
mod intake_eyp;
mod issue;
mod list;
mod log;
mod logging;
mod numbering;
mod org;
mod output;
mod person;
mod receive;
mod remind;
mod report;
mod roster;
mod send;
mod serve;
mod sheet;
mod signoff;
mod status;
mod templates;
mod user;
mod verify;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub use output::Out;

/// tamim: register official documents, issue follow-on circulars, distribute them, and prove who was reached.
#[derive(Parser, Debug)]
#[command(name = "tamim", version, about, long_about = None)]
pub struct Cli {
    /// The registry home (office.toml, tamim.sqlite, files/).
    #[arg(long, global = true, env = "TAMIM_REGISTRY", default_value = "registry")]
    pub registry: PathBuf,
    /// Where issued PDFs, reports and the e-mail outbox go.
    #[arg(
        short = 'o',
        long,
        global = true,
        env = "TAMIM_OUTPUT",
        default_value = "output",
        value_name = "DIR"
    )]
    pub output: PathBuf,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// The language of messages, help and tables: tr or en (default: from LC_ALL, LC_MESSAGES, LANG; Turkish).
    #[arg(long, global = true, value_name = "tr|en")]
    pub lang: Option<String>,
    /// More diagnostics on standard error: -v info, -vv debug, -vvv trace (RUST_LOG, when set, decides instead).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors on standard error, no warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Make a registry home (office.toml, tamim.sqlite, files/); harmless to run twice.
    Init(init::InitArgs),
    /// Offices: add, import, list, show, tree.
    #[command(subcommand)]
    Org(org::OrgCmd),
    /// Staff of offices: add, import, list.
    #[command(subcommand)]
    Person(person::PersonCmd),
    /// Staff rosters of offices: import, show.
    #[command(subcommand)]
    Roster(roster::RosterCmd),
    /// Distribution lists: create, add, remove, show.
    #[command(subcommand)]
    List(list::ListCmd),
    /// Register an incoming document.
    Receive(receive::ReceiveArgs),
    /// Print a registered document.
    Show(receive::ShowArgs),
    /// Registered documents, newest first.
    Documents(receive::DocumentsArgs),
    /// Print a document's chain: up to the root, down to every follow-on, with discrepancies marked.
    Chain(chain::ChainArgs),
    /// Run the seed's chain end to end: Kurul → İstanbul Valiliği → İESOB, PDFs in --output.
    Demo(demo::DemoArgs),
    /// Write a pre-filled draft of a follow-on document (forward) or an empty one (new).
    #[command(subcommand)]
    Draft(draft::DraftCmd),
    /// Issue a draft: number it, render the PDF with its attachments, store and freeze it.
    Issue(issue::IssueArgs),
    /// E-mail an issued document to every recipient (file outbox or SMTP), crash-safe and resumable.
    Send(send::SendArgs),
    /// Say whether a PDF is exactly one this registry issued, or an altered copy.
    Verify(verify::VerifyArgs),
    /// Write an issued document as an unsigned e-Yazışma v2 package (--eyp).
    Export(export::ExportArgs),
    /// Show or move the registry's gap-free counters (kayıt no, sayı, Tamim No).
    #[command(subcommand)]
    Numbering(numbering::NumberingCmd),
    /// Record acknowledgements (clerk, sign-off sheet), receipts, exemptions and reported follow-ons.
    Ack(ack::AckArgs),
    /// Counts per state and role, % acknowledged, and the late ones.
    Status(status::StatusArgs),
    /// Remind everyone not yet acknowledged; escalate to the parent org after ack.escalate_after reminders.
    Remind(remind::RemindArgs),
    /// The auditor's report: coverage per level and office, timelines, gaps, chain, log verification.
    Audit(audit::AuditArgs),
    /// Reports between two tamims: send ours to the issuer, show what the offices below reported.
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// The hash-chained event log.
    #[command(subcommand)]
    Log(log::LogCmd),
    /// The office's accounts for `tamim serve`: add, list, disable, passwd.
    #[command(subcommand)]
    User(user::UserCmd),
    /// Serve acknowledgement links and the auditor's pages over HTTP.
    Serve(serve::ServeArgs),
    /// Print the tebliğ-tebellüğ sheet of a document for one office (PDF).
    Signoff(signoff::SignoffArgs),
    /// The document and mail templates: export the built-in ones to customise, list which are used.
    #[command(subcommand)]
    Templates(templates::TemplatesCmd),
    /// Print a shell completion script, e.g. `tamim completions bash > /etc/bash_completion.d/tamim`.
    Completions(completions::CompletionsArgs),
    /// Print the manual page tamim(1) (or write one page per subcommand with --dir).
    Man(completions::ManArgs),
}

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// All of it was done: exit 0.
    Complete,
    /// It ran and printed its summary, but some of the work is left (`send`: recipients failed or deferred):
    /// exit [`EXIT_INCOMPLETE`].
    Incomplete,
}

/// The exit status of a run that finished with work left (2 is clap's, for a usage error).
pub const EXIT_INCOMPLETE: u8 = 3;

pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = args.iter().any(|a| a == "--json");
    let env_lang = i18n::from_env(|k| std::env::var(k).ok());
    let lang = match i18n::flag_value(&args) {
        None => env_lang,
        Some(v) => match i18n::Lang::parse(&v) {
            Some(l) => l,
            None => {
                i18n::init(env_lang);
                errors::print_error("usage", crate::t!("error-bad-lang", value = v), json);
                return ExitCode::from(2);
            }
        },
    };
    i18n::init(lang);
    let matches = match help::command(&args).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return help::clap_error(e, json),
    };
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return help::clap_error(e, json),
    };
    logging::init(cli.verbose, cli.quiet);
    let out = Out { json: cli.json };
    match run(&cli, &out) {
        Ok(Finished::Complete) => ExitCode::SUCCESS,
        Ok(Finished::Incomplete) => ExitCode::from(EXIT_INCOMPLETE),
        Err(e) => {
            errors::report(&e, cli.json);
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli, out: &Out) -> tamim_app::Result<Finished> {
    let done = match &cli.command {
        Command::Init(a) => init::run(cli, out, a),
        Command::Org(c) => org::run(cli, out, c),
        Command::Person(c) => person::run(cli, out, c),
        Command::Roster(c) => roster::run(cli, out, c),
        Command::Report(c) => report::run(cli, out, c),
        Command::List(c) => list::run(cli, out, c),
        Command::Receive(a) => receive::run_receive(cli, out, a),
        Command::Show(a) => receive::run_show(cli, out, a),
        Command::Documents(a) => receive::run_documents(cli, out, a),
        Command::Chain(a) => chain::run(cli, out, a),
        Command::Numbering(c) => numbering::run(cli, out, c),
        Command::Draft(c) => draft::run(cli, out, c),
        Command::Demo(a) => demo::run(cli, out, a),
        Command::Export(a) => export::run(cli, out, a),
        Command::Send(a) => return send::run(cli, out, a),
        Command::Issue(a) => issue::run(cli, out, a),
        Command::Verify(a) => {
            if verify::run(cli, out, a)? {
                Ok(())
            } else {
                Err(tamim_app::Error::CheckFailed(crate::t!("verify-not-ours")))
            }
        }
        Command::Ack(a) => ack::run(cli, out, a),
        Command::Status(a) => status::run(cli, out, a),
        Command::Remind(a) => remind::run(cli, out, a),
        Command::Audit(a) => audit::run(cli, out, a),
        Command::Log(c) => log::run(cli, out, c),
        Command::Signoff(a) => signoff::run(cli, out, a),
        Command::Serve(a) => serve::run(cli, out, a),
        Command::User(c) => user::run(cli, out, c),
        Command::Templates(c) => templates::run(cli, out, c),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    };
    done.map(|()| Finished::Complete)
}

/// Open the registry named by --registry.
/// An error about a field the user typed as a flag, told by that flag: the library names fields in the
/// domain's words (`sayı`, `tarih`), the command line by its flags (`--sayi`). `flags` pairs them.
pub fn as_flags(e: tamim_app::Error, flags: &[(&str, &str)]) -> tamim_app::Error {
    match e {
        tamim_app::Error::Domain(tamim_core::Error::Invalid { field, problem }) => {
            match flags.iter().find(|(f, _)| *f == field) {
                Some((_, flag)) => tamim_app::Error::invalid(*flag, problem),
                None => tamim_app::Error::invalid(field, problem),
            }
        }
        tamim_app::Error::Domain(tamim_core::Error::BadDate { field, source }) => {
            match flags.iter().find(|(f, _)| *f == field) {
                Some((_, flag)) => tamim_app::Error::bad_date(*flag, source),
                None => tamim_app::Error::bad_date(field, source),
            }
        }
        other => other,
    }
}

pub fn open(cli: &Cli) -> tamim_app::Result<tamim_app::registry::Registry> {
    tamim_app::registry::Registry::open(&cli.registry)
}
