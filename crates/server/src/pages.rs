//! The page templates (templates/pages, compiled in) and the small response helpers every handler uses.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::Environment;
use std::sync::OnceLock;

pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut e = Environment::new();
        for (name, src) in [
            ("base.html", include_str!("../../../templates/pages/base.html")),
            ("ack.html", include_str!("../../../templates/pages/ack.html")),
            (
                "audit_index.html",
                include_str!("../../../templates/pages/audit_index.html"),
            ),
            (
                "audit_doc.html",
                include_str!("../../../templates/pages/audit_doc.html"),
            ),
            (
                "audit_late.html",
                include_str!("../../../templates/pages/audit_late.html"),
            ),
            (
                "audit_chain.html",
                include_str!("../../../templates/pages/audit_chain.html"),
            ),
            ("dogrula.html", include_str!("../../../templates/pages/dogrula.html")),
        ] {
            if let Err(err) = e.add_template(name, src) {
                tracing::error!(template = name, error = %err, "a built-in page template does not parse");
            }
        }
        e
    })
}

/// Render a page; a template error is a plain 500 (logged), never a leak of the error to the client.
pub fn page(status: StatusCode, name: &str, ctx: minijinja::Value) -> Response {
    match env().get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(template = name, error = format!("{e:#}"), "rendering a page");
            internal()
        }
    }
}

/// The plain 404 for anything unknown: the same body whatever was wrong.
pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404 Not Found\n",
    )
        .into_response()
}

pub fn internal() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "500 Internal Server Error\n",
    )
        .into_response()
}

pub fn download(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}
