//! A real browser acknowledges by link: headless Chromium, driven by chromedriver over the WebDriver
//! protocol (a minimal client here, no npm), opens the ack page served by `tamim serve`, types the name,
//! clicks "Okudum, anladım"; the database then holds the acknowledgement, and a second visit shows it as
//! already given. Needs `chromium` and `chromium-driver` (scripts/test.sh installs them); fails, never skips.

use crate::ack_common;

use ack_common::http::{request, Server};
use ack_common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        assert!(
            have("chromedriver") && have("chromium"),
            "chromium and chromedriver are required: apt-get install chromium chromium-driver (scripts/test.sh)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 && !line.contains("started successfully") {
            line.clear();
        }
        std::thread::spawn(move || for _ in out.lines() {});
        let addr = format!("127.0.0.1:{port}");
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let mut d = Driver {
            child,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let b = body.map(|v| v.to_string());
        let r = request(
            &self.addr,
            method,
            path,
            &[("Content-Type", "application/json")],
            b.as_deref().map(str::as_bytes),
        );
        let v: Value =
            serde_json::from_slice(&r.body).unwrap_or_else(|_| panic!("chromedriver {method} {path}: {}", r.text()));
        assert_eq!(r.status, 200, "chromedriver {method} {path}: {v}");
        v
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v["value"][ELEMENT].as_str().unwrap().to_string()
    }

    fn source(&self) -> String {
        self.call("GET", &self.s("/source"), None)["value"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The page source once it holds one of `marks` (or after 15 s): a click on a submit button starts the
    /// form's navigation, and the next page may not have replaced the form yet when the click returns.
    fn source_once_it_has(&self, marks: &[&str]) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let page = self.source();
            if marks.iter().any(|m| page.contains(m)) || std::time::Instant::now() > deadline {
                return page;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(&self.addr, "DELETE", &format!("/session/{}", self.session), &[], None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn chromium_acknowledges_by_link() {
    let env = Env::new();
    seed(&env);
    let doc = issue(
        &env.registry(),
        "4516",
        &days_ago(2),
        None,
        Some(&minimal_pdf(&["Tamim"])),
    );
    mark_all_sent(&env.registry(), doc);
    let srv = Server::start(&env);
    let url = srv.url(&format!("/ack/{}", token(&env.registry(), doc, "ODA-3")));

    let b = Driver::start();
    b.goto(&url);
    assert!(b.source().contains("Okudum, anladım"));
    let name = b.find("#name");
    b.call(
        "POST",
        &b.s(&format!("/element/{name}/value")),
        Some(json!({"text": "Şükrü Öztürk"})),
    );
    let button = b.find("#ack");
    b.call("POST", &b.s(&format!("/element/{button}/click")), Some(json!({})));
    let after = b.source_once_it_has(&["Teşekkür ederiz", "id=\"error\""]);
    assert!(after.contains("Teşekkür ederiz"), "{after}");

    let (state, by, method): (String, String, String) = env
        .db()
        .query_row(
            "SELECT state, ack_by, ack_method FROM deliveries WHERE document_id = ?1 AND recipient_code = 'ODA-3'",
            [doc],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), by.as_str(), method.as_str()),
        ("acknowledged", "Şükrü Öztürk", "link")
    );
    let at: String = env
        .db()
        .query_row(
            "SELECT acknowledged_at FROM deliveries WHERE recipient_code = 'ODA-3'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    // A second visit: already given, with the first time; no form, nothing new recorded.
    let events = events_count(&env);
    b.goto(&url);
    let again = b.source();
    assert!(
        again.contains(&format!(
            "Bu belge {} tarihinde Şükrü Öztürk tarafından tebellüğ edilmiştir.",
            tamim_app::ack::time::shown(&at)
        )),
        "{again}"
    );
    assert!(!again.contains("<form"), "{again}");
    assert_eq!(events_count(&env), events);
}

/// Someone holding a printed copy types its verification code into `/dogrula` as people do (lower case,
/// spaces) and presses "Doğrula": the page names the document and offers the original.
#[test]
fn chromium_verifies_a_printed_code() {
    let env = Env::bare();
    let report = env.json(&["demo"]);
    let tamim = std::path::PathBuf::from(report["documents"][3]["file"].as_str().unwrap());
    let text = pdftotext(&tamim);
    let code = text
        .split("Doğrulama Kodu:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let srv = Server::start(&env);

    let b = Driver::start();
    b.goto(&srv.url("/dogrula"));
    let field = b.find("#kod");
    b.call(
        "POST",
        &b.s(&format!("/element/{field}/value")),
        Some(json!({"text": code.to_lowercase().replace('-', " ")})),
    );
    let button = b.find("#dogrula");
    b.call("POST", &b.s(&format!("/element/{button}/click")), Some(json!({})));
    let page = b.source_once_it_has(&["id=\"found\"", "id=\"error\""]);
    assert!(page.contains("id=\"found\""), "{page}");
    let cell = |id: &str| {
        let el = b.find(&format!("#{id}"));
        b.call("GET", &b.s(&format!("/element/{el}/text")), None)["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(cell("sayi"), "4516");
    assert_eq!(cell("konu"), "Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(cell("tarih"), "05 Kasım 2021");
    let link = b.find("#pdf");
    let href = b.call("GET", &b.s(&format!("/element/{link}/property/href")), None)["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(href, srv.url(&format!("/dogrula/{code}/pdf")));
}
