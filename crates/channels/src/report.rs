//! The report-back channel: POST one signed report (JSON) to another tamim's `/rapor` and read its answer.
//! The body and its signature are made by the caller (`tamim_app::report::send`); this only carries them.

use std::time::Duration;

/// The issuer's answer: its status and (at most 64 KiB of) its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The issuer could not be reached (address, connection, timeout) or its answer not read.
#[derive(Debug, thiserror::Error)]
#[error("cannot reach {url}: {source}")]
pub struct PostError {
    pub url: String,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// POST `body` to `url` with the HMAC `signature` in `header`; any status is an [`Answer`].
pub fn post(url: &str, header: &str, signature: &str, body: &[u8], timeout: Duration) -> Result<Answer, PostError> {
    let err = |e: ureq::Error| PostError {
        url: url.to_string(),
        source: Box::new(e),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header(header, signature)
        .send(body)
        .map_err(err)?;
    let status = resp.status().as_u16();
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_vec()
        .map_err(err)?;
    Ok(Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
