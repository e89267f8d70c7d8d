//! `tamim serve`: the only module that speaks HTTP. Recipients acknowledge by link (`/ack/TOKEN`); anyone
//! holding a copy checks its code at `/dogrula`; the office's own people log in at `/giris` (`session`:
//! the cookie, the [`session::Viewer`] extractor, CSRF; `layout`: the top bar and menu) and reach what their
//! roles allow from `/` (the register, drafts and their approval chain at `/taslak`, users); another tamim reports back on a delivery at `/rapor` (`report_api`); auditors read coverage (`/audit`, a denetçi login, or `[audit] token` when set). Reads use a small pool of connections on blocking
//! threads; every acknowledgement goes through one writer thread that commits in batches, durably.
//!
//! Architecture invariant: handlers hold no SQL; they call `ack`, `audit` and `store::receipts`.

// A refusal is the page that tells it (`Result<_, Response>`, axum's own idiom): built once per request.
#![allow(clippy::result_large_err)]

mod ack_pages;
mod admin_pages;
mod audit_pages;
mod audit_staff;
mod chart;
mod dagitim_pages;
mod evrak_pages;
mod headers;
pub mod layout;
mod login_pages;
mod pages;
mod report_api;
pub mod session;
mod staff_pages;
mod taslak_pages;
mod verify_page;
mod writer;

use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tamim_app::config::OfficeConfig;
use tamim_app::error::{Error, Result};
use tamim_store::Store;

/// What every handler shares.
pub struct App {
    pub home: PathBuf,
    pub config: OfficeConfig,
    pub secret: Vec<u8>,
    readers: Mutex<Vec<Store>>,
    writer: tokio::sync::mpsc::Sender<writer::Work>,
    limiter: login_pages::Limiter,
    /// Where messages the server sends go when the transport is the file outbox (`--output`/outbox).
    pub output: PathBuf,
    /// An application error as its user reads it (the CLI's Fluent messages, in the run's language).
    pub explain: Explain,
}

/// Renders an application error for a person (the CLI passes its own `errors::message`).
pub type Explain = fn(&Error) -> String;

impl App {
    /// Run `f` with a read connection on a blocking thread.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&tamim_store::Conn) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = match app.readers.lock().ok().and_then(|mut p| p.pop()) {
                Some(s) => s,
                None => Store::open(&app.home)?,
            };
            let out = f(&store.conn);
            if let Ok(mut p) = app.readers.lock() {
                if p.len() < 64 {
                    p.push(store);
                }
            }
            out
        })
        .await
        .map_err(|e| Error::runtime("reader task", e))?
    }

    /// Run `f` on the registry, opened as the CLI opens it, on a blocking thread: the screens' actions
    /// that call the same application functions as a command (issue, send, import, approve).
    pub async fn on_registry<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut tamim_app::registry::Registry) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let home = self.home.clone();
        tokio::task::spawn_blocking(move || {
            let mut reg = tamim_app::registry::Registry::open(&home)?;
            f(&mut reg)
        })
        .await
        .map_err(|e| Error::runtime("registry task", e))?
    }
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/ack/{token}", get(ack_pages::get_ack).post(ack_pages::post_ack))
        .route("/ack/{token}/pdf", get(ack_pages::get_pdf))
        .route("/ack/{token}/personel", post(staff_pages::post_links))
        .route("/ack/{token}/personel/liste", post(staff_pages::post_roster))
        .route("/ack/{token}/personel/tutanak.pdf", get(staff_pages::get_sheet))
        .route(
            "/ack/{token}/personel/tarama",
            post(staff_pages::post_scan).layer(axum::extract::DefaultBodyLimit::max(staff_pages::MAX_UPLOAD)),
        )
        .route(
            "/ack/s/{token}",
            get(staff_pages::get_person).post(staff_pages::post_person),
        )
        .route("/ack/s/{token}/pdf", get(staff_pages::get_person_pdf))
        .route("/dogrula", get(verify_page::get_verify))
        // Another tamim's report (JSON, HMAC-signed; no session: the key is the delivery's).
        .route(
            "/rapor",
            post(report_api::post_report).layer(axum::extract::DefaultBodyLimit::max(tamim_app::report::MAX_BODY)),
        )
        .route("/dogrula/{code}/pdf", get(verify_page::get_verify_pdf))
        .route("/", get(login_pages::home))
        .route("/giris", get(login_pages::get_login).post(login_pages::post_login))
        .route("/cikis", post(login_pages::post_logout))
        .route("/static/tamim.css", get(login_pages::stylesheet))
        .route("/evrak", get(evrak_pages::register_page))
        .route("/evrak/{id}", get(evrak_pages::document_page))
        .route("/dagitim/{id}", get(dagitim_pages::page))
        .route("/dagitim/{id}/gonder", post(dagitim_pages::post_send))
        .route("/dagitim/{id}/tebellug", post(dagitim_pages::post_ack))
        .route("/taslak", get(taslak_pages::list))
        .route("/taslak/yeni", get(taslak_pages::new_form).post(taslak_pages::create))
        .route("/taslak/{id}", get(taslak_pages::view).post(taslak_pages::update))
        .route("/taslak/{id}/onizleme.pdf", get(taslak_pages::preview))
        .route("/taslak/{id}/{adim}", post(taslak_pages::step))
        .route("/yonetim/kullanicilar", get(admin_pages::index).post(admin_pages::add))
        .route(
            "/yonetim/kullanicilar/{username}/devre-disi",
            post(admin_pages::disable),
        )
        .route("/audit", get(audit_pages::index))
        .route("/audit/{file}", get(audit_pages::index_file))
        .route("/audit/doc/{id}", get(audit_pages::document))
        .route("/audit/doc/{id}/{view}", get(audit_pages::document_view))
        .fallback(|| async { pages::not_found() })
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024))
        .layer(axum::middleware::from_fn(headers::security))
        .layer(request_log())
        .with_state(app)
}

/// The request log (tower-http's `TraceLayer`, target `tower_http`, at info: `-v`): method, path, status and
/// time of every request. An acknowledgement link's token is a secret: its path is logged as `/ack/…`, and no
/// query string is logged (the auditor's `?token=`).
fn request_log() -> tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<axum::body::Body>) -> tracing::Span + Clone,
> {
    use tower_http::trace::{DefaultOnFailure, DefaultOnRequest, DefaultOnResponse, TraceLayer};
    use tracing::Level;
    TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!("request", method = %req.method(), path = %logged_path(req.uri().path()))
        })
        .on_request(DefaultOnRequest::new().level(Level::DEBUG))
        .on_response(DefaultOnResponse::new().level(Level::INFO))
        .on_failure(DefaultOnFailure::new().level(Level::ERROR))
}

/// A request's path as the log shows it: the segment after `/ack/` or `/ack/s/` (the recipient's or the
/// staff member's token) replaced by `…`.
fn logged_path(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/ack/s/") {
        return match rest.split_once('/') {
            Some((_, tail)) => format!("/ack/s/…/{tail}"),
            None => "/ack/s/…".to_string(),
        };
    }
    match path.strip_prefix("/ack/") {
        Some(rest) => match rest.split_once('/') {
            Some((_, tail)) => format!("/ack/…/{tail}"),
            None => "/ack/…".to_string(),
        },
        None => path.to_string(),
    }
}

/// Serve until SIGTERM or SIGINT (Ctrl-C), then stop gracefully: no new connection is taken, the requests in
/// flight are answered, and the acknowledgement writer commits what it was given before this returns.
/// `ready` gets the bound address (port 0 picks a free port).
pub fn serve(home: &Path, bind: &str, output: &Path, explain: Explain, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let config = OfficeConfig::from_file(&home.join(tamim_app::registry::home::CONFIG_FILE))?;
    let secret = tamim_app::distribution::token::secret(home)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime("cannot start the server runtime", e))?;
    rt.block_on(async move {
        let addr: SocketAddr = bind
            .parse()
            .map_err(|_| Error::invalid("--bind", format!("{bind:?} is not ADDRESS:PORT, e.g. 127.0.0.1:8080")))?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::invalid("--bind", format!("cannot listen on {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::runtime("the listening address", e))?;
        let (writer, writer_thread) = writer::start(home, secret.clone())?;
        let app = Arc::new(App {
            home: home.to_path_buf(),
            config,
            secret,
            readers: Mutex::new(Vec::new()),
            writer,
            limiter: login_pages::Limiter::default(),
            output: output.to_path_buf(),
            explain,
        });
        ready(local);
        tracing::info!(address = %local, "listening");
        let served = axum::serve(
            listener,
            router(app).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::runtime("server stopped", e));
        // Every handler (and its queue to the writer) is gone: the writer takes its last jobs and ends.
        let joined = tokio::task::spawn_blocking(move || writer_thread.join()).await;
        if !matches!(joined, Ok(Ok(()))) {
            tracing::error!("the acknowledgement writer ended abnormally");
        }
        tracing::info!("stopped");
        served
    })
}

/// Resolves on the first SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping after the requests in flight"),
        _ = term => tracing::info!("SIGTERM: stopping after the requests in flight"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_request_log_hides_acknowledgement_tokens() {
        assert_eq!(super::logged_path("/ack/3f9c2a77"), "/ack/…");
        assert_eq!(super::logged_path("/ack/3f9c2a77/pdf"), "/ack/…/pdf");
        assert_eq!(super::logged_path("/ack/s/3f9c2a77"), "/ack/s/…");
        assert_eq!(super::logged_path("/ack/s/3f9c2a77/pdf"), "/ack/s/…/pdf");
        assert_eq!(
            super::logged_path("/ack/3f9c2a77/personel/liste"),
            "/ack/…/personel/liste"
        );
        assert_eq!(super::logged_path("/dogrula"), "/dogrula");
    }
}
