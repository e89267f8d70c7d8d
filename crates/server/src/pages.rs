//! The page templates (templates/pages, compiled in) and the small response helpers every handler uses.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::Environment;
use std::sync::OnceLock;

pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut e = Environment::new();
        add_turkish_filters(&mut e);
        for (name, src) in [
            ("base.html", include_str!("../../../templates/pages/base.html")),
            ("ack.html", include_str!("../../../templates/pages/ack.html")),
            (
                "staff_ack.html",
                include_str!("../../../templates/pages/staff_ack.html"),
            ),
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
            (
                "audit_staff.html",
                include_str!("../../../templates/pages/audit_staff.html"),
            ),
            ("dagitim.html", include_str!("../../../templates/pages/dagitim.html")),
            ("chart.html", include_str!("../../../templates/pages/chart.html")),
            ("dogrula.html", include_str!("../../../templates/pages/dogrula.html")),
            ("login.html", include_str!("../../../templates/pages/login.html")),
            ("home.html", include_str!("../../../templates/pages/home.html")),
            ("message.html", include_str!("../../../templates/pages/message.html")),
            ("evrak.html", include_str!("../../../templates/pages/evrak.html")),
            (
                "evrak_doc.html",
                include_str!("../../../templates/pages/evrak_doc.html"),
            ),
            (
                "taslak_list.html",
                include_str!("../../../templates/pages/taslak_list.html"),
            ),
            (
                "taslak_new.html",
                include_str!("../../../templates/pages/taslak_new.html"),
            ),
            (
                "taslak_view.html",
                include_str!("../../../templates/pages/taslak_view.html"),
            ),
            (
                "taslak_fields.html",
                include_str!("../../../templates/pages/taslak_fields.html"),
            ),
            (
                "taslak_docs.html",
                include_str!("../../../templates/pages/taslak_docs.html"),
            ),
            (
                "admin_users.html",
                include_str!("../../../templates/pages/admin_users.html"),
            ),
        ] {
            if let Err(err) = e.add_template(name, src) {
                tracing::error!(template = name, error = %err, "a built-in page template does not parse");
            }
        }
        e
    })
}

/// What the pages show in Turkish: `|tr_num` 1.000.350, `|tr_pct` %61,1, `|tr_dec` 61,1, `|tr_date`
/// 5 Kasım 2021 (from a stored `2021-11-05`), `|tr_state` a delivery state's Turkish name.
fn add_turkish_filters(e: &mut Environment<'static>) {
    use tamim_core::turkish::number;
    e.add_filter("tr_num", |v: i64| number::integer(v));
    e.add_filter("tr_pct", |v: f64| number::percent(v));
    e.add_filter("tr_dec", |v: f64| number::one_decimal(v));
    e.add_filter("tr_date", |v: String| {
        chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_or(v, tamim_core::turkish::format_day)
    });
    e.add_filter("tr_state", |v: String| {
        tamim_core::state::State::parse(&v).map_or(v, |s| s.label_tr().to_string())
    });
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

/// A stored PDF (`files/SHA.pdf`) served inline as `belge-ID.pdf`; a missing file is the plain 404.
pub async fn stored_pdf(app: &super::App, sha: &str, doc_id: i64) -> Response {
    let path = app
        .home
        .join(tamim_app::registry::home::FILES_DIR)
        .join(format!("{sha}.pdf"));
    match tokio::fs::read(&path).await {
        Ok(bytes) => download("application/pdf", format!("belge-{doc_id}.pdf"), bytes),
        Err(_) => not_found(),
    }
}
