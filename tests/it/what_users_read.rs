//! Snapshots (insta) of what people read, from the real binary on the demo's registry: the first page of
//! Tamim 2021/243 as `pdftotext -layout` reads it, one e-mail as a real SMTP server (aiosmtpd) received it,
//! `tamim documents` and `tamim status` as tables and as `--json`. Only what changes from run to run is
//! replaced (each placeholder says what it stands for), after checking it; the `.snap` files are in
//! `tests/it/snapshots/`. Review a change with `cargo insta review`, or `INSTA_UPDATE=always cargo test`
//! and `git diff`.

use crate::common;
use crate::support;

use common::{pdftotext, Env};
use std::path::PathBuf;
use std::time::Duration;
use support::smtp::SmtpServer;

/// A registry after `tamim demo` (file outbox), and the demo's report.
fn demo() -> (Env, serde_json::Value) {
    let env = Env::bare().turkish();
    let report = env.json(&["demo"]);
    (env, report)
}

/// Tamim 2021/243's PDF, from the demo's report.
fn tamim_pdf(report: &serde_json::Value) -> PathBuf {
    let docs = report["documents"].as_array().expect("documents in the demo's report");
    let tamim = docs
        .iter()
        .find(|d| d["kind_no"] == "2021/243")
        .expect("Tamim 2021/243 in the demo's report");
    PathBuf::from(tamim["file"].as_str().unwrap())
}

/// Every `"KEY": "…"` value in JSON text (one per line, as `--json` prints) replaced by `"[WITH]"`; returns
/// the values replaced so the caller can check them.
fn replace_json_strings(text: &str, key: &str, with: &str) -> (String, Vec<String>) {
    let prefix = format!("\"{key}\": \"");
    let mut seen = Vec::new();
    let lines: Vec<String> = text
        .lines()
        .map(|line| match line.find(&prefix) {
            Some(at) => {
                let start = at + prefix.len();
                let end = start + line[start..].find('"').expect("a closing quote");
                seen.push(line[start..end].to_string());
                format!("{}{with}{}", &line[..start], &line[end..])
            }
            None => line.to_string(),
        })
        .collect();
    (lines.join("\n") + "\n", seen)
}

#[test]
fn letter_first_page_as_pdftotext_reads_it() {
    let (env, report) = demo();
    let text = pdftotext(&tamim_pdf(&report));
    let first = text.split('\x0c').next().unwrap();
    // The verification code printed in the footer is the one the registry holds; it is derived with the
    // registry's own secret (new on every run), so it is replaced after that check. Nothing else varies.
    let shown = env.json(&["show", "2021/243"]);
    let code = shown["verification"].as_str().unwrap();
    assert!(first.contains(&format!("Doğrulama Kodu: {code}")), "{first}");
    assert_eq!(code.len(), "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX".len(), "{code}");
    insta::assert_snapshot!(first.replace(code, "[KOD: the registry's, as `show` gives]"));
}

/// Replace `secret` wherever it occurs in `text`, also when a quoted-printable soft line break (`=\n`)
/// splits it, by as many `x` as it has characters (line breaks kept). Returns how many were replaced.
fn mask_qp(text: &mut String, secret: &str) -> usize {
    let s: Vec<char> = secret.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut found) = (0, 0);
    while i < t.len() {
        // Try to match the secret at i, allowing "=\n" between any two of its characters.
        let (mut j, mut k, mut matched) = (i, 0, String::new());
        while k < s.len() && j < t.len() {
            if t[j] == s[k] {
                matched.push('x');
                j += 1;
                k += 1;
            } else if k > 0 && t[j] == '=' && t.get(j + 1) == Some(&'\n') {
                matched.push_str("=\n");
                j += 2;
            } else {
                break;
            }
        }
        if k == s.len() {
            out.push_str(&matched);
            found += 1;
            i = j;
        } else {
            out.push(t[i]);
            i += 1;
        }
    }
    *text = out;
    found
}

#[test]
fn email_as_the_smtp_server_received_it() {
    let server = SmtpServer::start().expect("SMTP server (scripts/test.sh installs python3-aiosmtpd)");
    let env = Env::bare();
    let report = env.json(&["demo", "--smtp", &server.url()]);
    assert_eq!(report["sent"]["sent"], 17, "{report}");
    let messages = server.wait_for(17, Duration::from_secs(20));
    let one = messages
        .iter()
        .find(|m| {
            m.rcpts == ["berberler@odalar.example.org.tr"] && m.raw_headers().contains("X-Tamim-Recipient: ODA-01\r\n")
        })
        .unwrap_or_else(|| panic!("no message to ODA-01 among {} received", messages.len()));
    assert_eq!(one.envelope_from, "tamim@iesob.example.org.tr");
    // The attachment is the issued PDF, byte for byte (the server's parser's digest).
    let pdf = std::fs::read(tamim_pdf(&report)).unwrap();
    let attachments = one.parsed["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "{}", one.parsed);
    assert_eq!(attachments[0]["filename"], "Tamim-2021-243.pdf");
    assert_eq!(attachments[0]["sha256"].as_str().unwrap(), sha256_hex(&pdf));
    assert_eq!(
        one.parsed["defects"].as_array().map(Vec::len),
        Some(0),
        "{}",
        one.parsed
    );

    let mut text = String::from_utf8(one.raw.clone())
        .expect("a 7-bit message")
        .replace("\r\n", "\n");
    // The Date header: when it was sent.
    let date = text
        .lines()
        .find_map(|l| l.strip_prefix("Date: "))
        .expect("a Date header")
        .to_string();
    // When the demo sends it, on its own clock (issue #18): the morning of the tamim's date.
    assert_eq!(date, "Fri, 05 Nov 2021 07:30:00 +0000");
    text = text.replacen(&format!("Date: {date}\n"), "Date: [when sent]\n", 1);
    // The MIME boundaries are random: numbered in the order they are declared.
    let boundaries: Vec<String> = text
        .match_indices("boundary=\"")
        .map(|(at, b)| {
            let start = at + b.len();
            text[start..start + text[start..].find('"').unwrap()].to_string()
        })
        .collect();
    assert_eq!(boundaries.len(), 2, "mixed and alternative");
    for (n, b) in boundaries.iter().enumerate() {
        text = text.replace(b, &format!("BOUNDARY-{}", n + 1));
    }
    // The acknowledgement link's token is random (one per delivery): the plain-text part has it on one line.
    let token = text
        .split("/ack/")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).collect::<String>())
        .expect("an acknowledgement link");
    assert_eq!(token.len(), 40, "{token}");
    assert_eq!(
        mask_qp(&mut text, &token),
        3,
        "in the text part, and twice in the HTML part's link"
    );
    // The PDF's base64 (checked above against the issued file) is left out.
    let b64 = text
        .find("Content-Transfer-Encoding: base64\n\n")
        .map(|at| at + "Content-Transfer-Encoding: base64\n\n".len())
        .expect("a base64 attachment");
    let end = b64 + text[b64..].find("\n--BOUNDARY-1--").expect("the closing boundary");
    text.replace_range(
        b64..end,
        // (Its size varies by a few hundred bytes with the verification code, which the registry's secret
        // makes new on every run.)
        "[base64: the issued PDF, checked above against the issued file]",
    );
    insta::assert_snapshot!(text);
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

#[test]
fn documents_as_a_table() {
    let (env, _) = demo();
    insta::assert_snapshot!(env.ok(&["documents"]));
}

#[test]
fn documents_as_json() {
    let (env, _) = demo();
    let out = env.ok(&["documents", "--json"]);
    let started = chrono::Utc::now() - chrono::Duration::minutes(10);
    // When each was recorded: during this run.
    let (out, created) = replace_json_strings(&out, "created_at", "[recorded during this run]");
    assert_eq!(created.len(), 4, "{out}");
    for c in &created {
        let at = chrono::DateTime::parse_from_rfc3339(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert!(at > started && at <= chrono::Utc::now(), "{c}");
    }
    // The output folder is a temporary one.
    let folder = format!("{}/", env.output().display());
    assert_eq!(out.matches(&folder).count(), 1, "{out}");
    let out = out.replace(&folder, "[output folder]/");
    // Each document's stored file (its SHA-256) and verification code vary with the registries' secrets,
    // new on every run: checked for their form, then replaced.
    let (out, files) = replace_json_strings(&out, "file", "[SHA-256 of the stored PDF]");
    assert_eq!(files.len(), 4, "{out}");
    assert!(
        files
            .iter()
            .all(|f| f.len() == 64 && f.bytes().all(|b| b.is_ascii_hexdigit())),
        "{files:?}"
    );
    let (out, stamped) = replace_json_strings(&out, "stamped_file", "[SHA-256 of the stamped PDF]");
    assert!(stamped.iter().all(|f| f.len() == 64), "{stamped:?}");
    let (out, codes) = replace_json_strings(&out, "verification", "[this registry's verification code]");
    assert!(
        codes.iter().all(|c| c.len() == 29 && c.matches('-').count() == 4),
        "{codes:?}"
    );
    insta::assert_snapshot!(out);
}

/// Days from the demo's deadline (20 Kasım 2021) to the day `tamim status` ran; checked against every
/// late recipient's figure in `--json`.
fn days_late(env: &Env) -> i64 {
    let json = env.json(&["status", "2021/243"]);
    assert_eq!(json["deadline"], "2021-11-20");
    let late = json["late"].as_array().unwrap();
    assert!(!late.is_empty());
    let days = late[0]["days_late"].as_i64().unwrap();
    let since = (chrono::Local::now().date_naive() - chrono::NaiveDate::from_ymd_opt(2021, 11, 20).unwrap()).num_days();
    assert!(
        (since - 1..=since + 1).contains(&days),
        "{days} days late, {since} days since the deadline"
    );
    assert!(late.iter().all(|l| l["days_late"] == days), "{json}");
    days
}

#[test]
fn status_as_a_table() {
    let (env, _) = demo();
    let days = days_late(&env);
    let out = env.ok(&["status", "2021/243"]);
    // As Turkish writes it: 1.839.
    let shown = tamim_core::turkish::number::integer(days);
    let late_rows = out.lines().filter(|l| l.ends_with(&format!("  {shown}"))).count();
    assert_eq!(late_rows, 7, "{out}");
    let out: Vec<String> = out
        .lines()
        .map(|l| match l.strip_suffix(&format!("  {shown}")) {
            Some(row) => format!("{row}  [days since 20.11.2021]"),
            None => l.to_string(),
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn status_as_json() {
    let (env, _) = demo();
    let days = days_late(&env);
    let out = env.ok(&["status", "2021/243", "--json"]);
    let from = format!("\"days_late\": {days}");
    assert_eq!(out.matches(&from).count(), 7, "{out}");
    insta::assert_snapshot!(out.replace(&from, "\"days_late\": <days since 2021-11-20>"));
}
