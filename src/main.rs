//! The `tamim` command: parses arguments, runs one command, prints its result or its error chain, picks the exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
