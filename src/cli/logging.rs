//! Diagnostics on standard error through `tracing`: warnings by default, `-v` info, `-vv` debug, `-vvv` trace,
//! `-q` errors only; `RUST_LOG` (an `EnvFilter`, e.g. `RUST_LOG=tamim_server=debug`) replaces the flags.
//! Results go to standard output and are not log lines. Nothing secret is logged: no passwords, SMTP URLs
//! only redacted, no acknowledgement tokens (the request log shows `/ack/…`).

use tracing_subscriber::EnvFilter;

/// tamim's own crates, whose level `-v` raises; every other crate stays at warnings.
const OURS: [&str; 8] = [
    "tamim",
    "tamim_app",
    "tamim_server",
    "tamim_store",
    "tamim_channels",
    "tamim_docs",
    "tamim_sign",
    "tower_http",
];

/// The filter `-v` (`verbose` times) and `-q` ask for.
pub fn filter_for(verbose: u8, quiet: bool) -> String {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let mut f = String::from(if quiet { "error" } else { "warn" });
    for c in OURS {
        f.push_str(&format!(",{c}={level}"));
    }
    f
}

/// Installs the subscriber: standard error, no colours unless it is a terminal.
pub fn init(verbose: u8, quiet: bool) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(&v).unwrap_or_else(|e| {
            eprintln!("RUST_LOG={v:?} is not a valid filter ({e}); using the default");
            EnvFilter::new(filter_for(verbose, quiet))
        }),
        _ => EnvFilter::new(filter_for(verbose, quiet)),
    };
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(true)
        .try_init();
}
