//! Headless Chromium, started through chromedriver and driven over the WebDriver protocol by the
//! `fantoccini` crate. The tests are plain `#[test]` functions: [`Browser`] owns a Tokio runtime and offers
//! blocking calls. Needs `chromium` and `chromium-driver` (scripts/test.sh installs them); a test that
//! needs the browser fails, never skips, when they are missing.

use crate::common::have;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Map, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start() -> Browser {
        assert!(
            have("chromedriver") && have("chromium"),
            "chromium and chromedriver are required: apt-get install chromium chromium-driver (scripts/test.sh)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut out = BufReader::new(driver.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 && !line.contains("started successfully") {
            line.clear();
        }
        std::thread::spawn(move || for _ in out.lines() {});
        let profile = tempfile::tempdir().unwrap();
        // The flags keep Chromium off the network it cannot reach here (it would retry at every start).
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.path().display())]
        }});
        let Value::Object(caps) = caps else { unreachable!() };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = rt
            .block_on(async {
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(caps as Map<String, Value>)
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await
            })
            .expect("a WebDriver session in Chromium");
        Browser {
            rt,
            client: Some(client),
            driver,
            _profile: profile,
        }
    }

    fn c(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.c()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    pub fn goto(&self, url: &str) {
        self.rt
            .block_on(self.c().goto(url))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Resize the window (a phone: 390 × 844).
    pub fn resize(&self, width: u32, height: u32) {
        self.rt
            .block_on(self.c().set_window_size(width, height))
            .unwrap_or_else(|e| panic!("resize to {width}×{height}: {e}"));
    }

    /// Type `text` into the element `css` names.
    pub fn fill(&self, css: &str, text: &str) {
        self.rt.block_on(async {
            let el = self.find(css).await;
            el.send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        })
    }

    /// Empty the field `css` names, then type `text` into it.
    pub fn replace(&self, css: &str, text: &str) {
        self.rt.block_on(async {
            let el = self.find(css).await;
            el.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
            el.send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        })
    }

    pub fn click(&self, css: &str) {
        self.rt.block_on(async {
            let el = self.find(css).await;
            el.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
        })
    }

    /// The text the element `css` names shows.
    pub fn text(&self, css: &str) -> String {
        self.rt.block_on(async {
            let el = self.find(css).await;
            el.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
        })
    }

    /// A DOM property of the element `css` names (`href` comes back absolute).
    pub fn property(&self, css: &str, name: &str) -> Option<String> {
        self.rt.block_on(async {
            let el = self.find(css).await;
            el.prop(name).await.unwrap_or_else(|e| panic!("{name} of {css}: {e}"))
        })
    }

    pub fn source(&self) -> String {
        self.rt.block_on(self.c().source()).expect("page source")
    }

    /// The page source once it holds one of `marks` (or after 15 s): a click on a submit button starts the
    /// form's navigation, and the next page may not have replaced the form yet when the click returns.
    pub fn source_once_it_has(&self, marks: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let page = self.source();
            if marks.iter().any(|m| page.contains(m)) || Instant::now() > deadline {
                return page;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Save a screenshot of the page as `target/screenshots/NAME.png`, a test artifact to look at.
    pub fn screenshot(&self, name: &str) {
        let png = self.rt.block_on(self.c().screenshot()).expect("screenshot");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            let _ = self.rt.block_on(c.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
