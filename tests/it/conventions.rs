//! The conventions of a command-line tool (issue #18): shell completions, a man page, `-v`/`-q`/`RUST_LOG`
//! diagnostics on standard error, and `tamim serve`'s request log (no token in it) and its graceful stop on
//! SIGTERM — a request in flight is answered and its acknowledgement committed.

use crate::ack_common::{self, Env};
use crate::common::{stderr, stdout};

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn completions_and_man_pages_are_generated_from_the_arguments() {
    let env = Env::bare();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("_tamim()") && bash.contains("templates") && bash.contains("--registry"),
        "{bash}"
    );
    for shell in ["zsh", "fish"] {
        assert!(env.ok(&["completions", shell]).contains("tamim"), "{shell}");
    }
    let out = env.run(&["completions", "tcsh-yok"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("tcsh-yok"), "{}", stderr(&out));

    let page = env.ok(&["man"]);
    assert!(page.contains(".TH tamim 1") && page.contains("send"), "{page}");
    let dir = env.path("man");
    env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    for f in ["tamim.1", "tamim-send.1", "tamim-templates-export.1"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
}

#[test]
fn diagnostics_go_to_stderr_by_verbosity_and_rust_log() {
    let env = Env::new();
    let quiet = env.run(&["documents", "--json"]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "", "nothing on stderr by default");
    let v = env.run(&["-vv", "documents", "--json"]);
    assert!(v.status.success());
    assert!(stderr(&v).contains("registry opened"), "{}", stderr(&v));
    assert!(!stdout(&v).contains("registry opened"), "logs are not results");
    serde_json::from_str::<serde_json::Value>(&stdout(&v)).expect("stdout stays JSON");
    let r = env
        .cmd()
        .args(["documents"])
        .env("RUST_LOG", "tamim_app=debug")
        .output()
        .unwrap();
    assert!(stderr(&r).contains("registry opened"), "{}", stderr(&r));
    let both = env.run(&["-v", "-q", "documents"]);
    assert_eq!(both.status.code(), Some(2), "-v and -q together are a usage error");
}

/// A request whose body is still coming when SIGTERM arrives is answered and its acknowledgement committed;
/// then the server exits 0. The request log names the path without the token.
#[test]
fn serve_stops_on_sigterm_after_the_request_in_flight() {
    let env = Env::new();
    ack_common::seed(&env);
    let pdf = ack_common::minimal_pdf(&["Tamim 2021/243"]);
    let doc = ack_common::issue(&env.registry(), "4516", &ack_common::days_ago(3), None, Some(&pdf));
    ack_common::mark_all_sent(&env.registry(), doc);
    let tok = ack_common::token(&env.registry(), doc, "ODA-2");

    let log = env.path("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tamim"))
        .arg("--registry")
        .arg(env.registry())
        .args(["-v", "serve", "--bind", "127.0.0.1:0"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", env.lang)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().strip_prefix("listening on http://").unwrap().to_string();

    let body = "name=Ayla+%C5%9EEN";
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /ack/{tok} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..4]
    )
    .unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server left before answering the request in flight"
    );
    s.write_all(&body.as_bytes()[4..]).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert_eq!(ack_common::state_of(&env, doc, "ODA-2"), "acknowledged");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("SIGTERM"), "{log}");
    assert!(
        log.contains("/ack/…") && log.contains("200"),
        "the request is logged:\n{log}"
    );
    assert!(!log.contains(&tok), "the token is a secret:\n{log}");
}
