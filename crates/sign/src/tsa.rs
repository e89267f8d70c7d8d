//! An RFC 3161 client: asks a timestamp authority to stamp a digest over HTTP (`application/timestamp-query`),
//! with the request's authentication a setting (HTTP basic; Kamu SM's own scheme needs its credentials),
//! and checks the answer: granted, over our digest and nonce, signed by the authority.

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{Int, OctetString};
use der::{Decode, Encode};
use std::time::Duration;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::error::{Error, Result, TsaProblem};

/// A timestamp authority. Its credentials never appear in `Debug`, a log or an error.
#[derive(Clone)]
pub struct Tsa {
    pub url: String,
    /// HTTP basic authentication (user, password), when the authority requires it.
    pub basic_auth: Option<(String, String)>,
    /// A header sent with each request (name, value): an API key or a token the authority issued.
    pub header: Option<(String, String)>,
    pub timeout: Duration,
}

impl std::fmt::Debug for Tsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tsa")
            .field("url", &self.url)
            .field("basic_auth_user", &self.basic_auth.as_ref().map(|(u, _)| u))
            .field("header", &self.header.as_ref().map(|(n, _)| n))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Tsa {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            basic_auth: None,
            header: None,
            timeout: Duration::from_secs(15),
        }
    }

    fn answer(&self, problem: TsaProblem) -> Error {
        Error::TsaAnswer {
            url: self.url.clone(),
            problem,
        }
    }

    /// A timestamp token over `digest` (SHA-256), checked.
    pub fn stamp(&self, digest: &[u8]) -> Result<ContentInfo> {
        let nonce: u64 = rand::random::<u64>() >> 1;
        let imprint = MessageImprint {
            hash_algorithm: spki::AlgorithmIdentifier {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            hashed_message: OctetString::new(digest)?,
        };
        let request = TimeStampReq {
            version: TspVersion::V1,
            message_imprint: imprint.clone(),
            req_policy: None,
            nonce: Some(Int::new(&nonce.to_be_bytes())?),
            cert_req: true,
            extensions: None,
        };
        let body = self.post(&request.to_der()?)?;
        let resp = TimeStampResp::from_der(&body).map_err(|e| self.answer(TsaProblem::NotAResponse(e.to_string())))?;
        let status = resp.status.status as u8;
        if status > 1 {
            let text = resp
                .status
                .status_string
                .as_ref()
                .and_then(|s| s.iter().next().map(|t| t.as_str().to_string()))
                .unwrap_or_default();
            return Err(self.answer(TsaProblem::Refused { status, text }));
        }
        let token = resp.time_stamp_token.ok_or_else(|| self.answer(TsaProblem::NoToken))?;
        let info = token_info(&token).map_err(|e| self.answer(TsaProblem::Unreadable(e.to_string())))?;
        if info.message_imprint != imprint {
            return Err(self.answer(TsaProblem::OtherDigest));
        }
        if info.nonce.as_ref().map(|n| n.as_bytes()) != Some(Int::new(&nonce.to_be_bytes())?.as_bytes()) {
            return Err(self.answer(TsaProblem::OtherNonce));
        }
        let check = crate::check::check_token(&token);
        if !check.intact {
            return Err(self.answer(TsaProblem::BadSignature(
                check.problem.unwrap_or(crate::check::Problem::SignatureInvalid),
            )));
        }
        Ok(token)
    }

    fn post(&self, der: &[u8]) -> Result<Vec<u8>> {
        let unreachable = |e: ureq::Error| Error::TsaUnreachable {
            url: self.url.clone(),
            source: Box::new(e),
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            .build()
            .into();
        let mut req = agent
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query");
        if let Some((user, password)) = &self.basic_auth {
            let token =
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, format!("{user}:{password}"));
            req = req.header("Authorization", format!("Basic {token}"));
        }
        if let Some((name, value)) = &self.header {
            req = req.header(name.as_str(), value.as_str());
        }
        tracing::debug!(url = %self.url, basic_auth = self.basic_auth.is_some(), header = ?self.header.as_ref().map(|h| &h.0), "asking the timestamp authority");
        let mut resp = req.send(der).map_err(unreachable)?;
        let code = resp.status();
        if !code.is_success() {
            return Err(self.answer(TsaProblem::Http(code.as_u16())));
        }
        resp.body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_vec()
            .map_err(unreachable)
    }
}

/// The signed TSTInfo inside a timestamp token.
pub fn token_info(token: &ContentInfo) -> Result<TstInfo> {
    let sd: SignedData = token.content.decode_as()?;
    let content = sd
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| Error::Malformed("a timestamp token without TSTInfo".into()))?;
    let octets: OctetString = content.decode_as()?;
    Ok(TstInfo::from_der(octets.as_bytes())?)
}
