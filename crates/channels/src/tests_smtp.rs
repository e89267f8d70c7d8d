//! Tests against a real SMTP server process (aiosmtpd over TCP on 127.0.0.1), started through
//! `tests/support/smtp.rs`.

#[path = "../../../tests/support/smtp.rs"]
mod smtp_support;

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use smtp_support::{unused_port, ServerOptions, SmtpServer};

use super::tests::{sample_mail, sample_pdf};
use super::*;

fn settings(url: String) -> SmtpSettings {
    SmtpSettings {
        url,
        timeout: Duration::from_secs(10),
        pool_size: 2,
        ..SmtpSettings::default()
    }
}

fn start(opts: ServerOptions) -> SmtpServer {
    SmtpServer::start_with(opts).unwrap_or_else(|e| panic!("could not start the test SMTP server: {e}"))
}

#[test]
fn plain_send_arrives_intact() {
    let server = start(ServerOptions::default());
    let mut t = SmtpTransport::new(settings(server.url())).expect("settings");
    let m = sample_mail("oda17@example.org", "17");
    let d = t.send(&m).expect("send");
    assert!(d.reply.starts_with("250 OK"), "{}", d.reply);
    let got = server.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(r.envelope_from, "tamim@iesob.org.tr");
    assert_eq!(r.rcpts, vec!["oda17@example.org".to_string()]);
    let headers = r.raw_headers();
    assert!(
        headers.contains("Message-ID: <doc-2021=2F243.recipient-17@tamim.iesob.org.tr>"),
        "{headers}"
    );
    assert!(
        headers.contains("Subject: [Tamim 2021/243] Sosyal Medya Etik =?utf-8?b?"),
        "{headers}"
    );
    assert!(headers.contains("X-Tamim-Document: Tamim 2021/243"), "{headers}");
    assert!(headers.contains("Date: Fri, 05 Nov 2021 09:30:00 +0000"), "{headers}");
    let p = &r.parsed;
    assert_eq!(p["subject"], "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(p["subject_rfc2047"], "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(
        p["from_rfc2047"],
        "İstanbul Esnaf ve Sanatkarlar Odaları Birliği <tamim@iesob.org.tr>"
    );
    assert_eq!(
        p["to_rfc2047"],
        "Beyoğlu Berberler Odası Başkanlığı <oda17@example.org>"
    );
    let text = p["text"].as_str().expect("text part").replace("\r\n", "\n");
    let text = text.as_str();
    assert!(text.contains("Sayın Beyoğlu Berberler Odası Başkanlığı,"), "{text}");
    assert!(text.contains("Dağıtım notu: Yazı, tarafınızca İlçe Belediye Başkanlıklarına duyurulacaktır."));
    assert!(
        text.contains("\n.\n.satır nokta ile başlıyor"),
        "dot-stuffing undone by the server: {text}"
    );
    assert!(p["html"]
        .as_str()
        .expect("html part")
        .contains("<strong>Tamim 2021/243</strong>"));
    let att = &p["attachments"][0];
    assert_eq!(att["filename"], "Tamim 2021-243 Sosyal Medya Etik İlkeleri.pdf");
    assert_eq!(att["content_type"], "application/pdf");
    assert_eq!(att["size"], sample_pdf().len());
    let want = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&sample_pdf()[..]));
    assert_eq!(att["sha256"], want, "attachment bytes differ from the original");
    assert_eq!(p["defects"], serde_json::json!([]));
    // The connection is reused for the next message.
    t.send(&sample_mail("oda18@example.org", "18")).expect("second");
    assert_eq!(server.wait_for(2, Duration::from_secs(5)).len(), 2);
}

#[test]
fn starttls_with_self_signed_cert_and_auth() {
    let server = start(ServerOptions {
        tls: true,
        auth: Some(("tamim".into(), "s3cret-parola".into())),
        ..ServerOptions::default()
    });
    let url = format!("smtp://127.0.0.1:{}?tls=starttls", server.port());
    let good = SmtpSettings {
        username: Some("tamim".into()),
        password: Some(Secret::new("s3cret-parola")),
        ca_cert_pem: Some(server.ca_cert()),
        ..settings(url.clone())
    };
    let mut t = SmtpTransport::new(good.clone()).expect("settings");
    t.send(&sample_mail("oda@example.org", "1"))
        .expect("STARTTLS + AUTH send");
    let got = server.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].parsed["subject"],
        "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk."
    );

    // Wrong password: a clear, permanent AUTH error that never shows the password.
    let bad = SmtpSettings {
        password: Some(Secret::new("yanlis-parola-123")),
        ..good.clone()
    };
    let e = SmtpTransport::new(bad)
        .expect("settings")
        .send(&sample_mail("oda@example.org", "2"))
        .unwrap_err();
    assert_eq!(
        (e.kind, e.stage, e.code),
        (FailureKind::Permanent, Stage::Auth, Some(535)),
        "{e}"
    );
    assert!(e.is_server_level());
    assert!(
        !e.message.contains("yanlis-parola-123") && !e.message.contains("s3cret"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains(&url) && e.message.contains("authentication failed"),
        "{}",
        e.message
    );
    assert!(!format!("{e:?}").contains("yanlis-parola-123"));

    // The self-signed certificate not trusted: a TLS error, not a silent downgrade.
    let untrusted = SmtpSettings {
        ca_cert_pem: None,
        ..good
    };
    let e = SmtpTransport::new(untrusted)
        .expect("settings")
        .send(&sample_mail("oda@example.org", "3"))
        .unwrap_err();
    assert_eq!((e.kind, e.stage), (FailureKind::Permanent, Stage::Tls), "{e}");
    assert_eq!(server.messages().len(), 1, "nothing else arrived");
}

#[test]
fn rejected_recipient_is_permanent_with_the_reply_and_the_rest_go_on() {
    let server = start(ServerOptions {
        reject: vec!["yok@example.org".into()],
        ..ServerOptions::default()
    });
    let mut t = SmtpTransport::new(settings(server.url())).expect("settings");
    t.send(&sample_mail("oda1@example.org", "1")).expect("first");
    let e = t.send(&sample_mail("yok@example.org", "2")).unwrap_err();
    assert_eq!(
        (e.kind, e.stage, e.code),
        (FailureKind::Permanent, Stage::Rcpt, Some(550)),
        "{e}"
    );
    assert!(
        e.message
            .contains("5.1.1 <yok@example.org>: Recipient address rejected"),
        "{}",
        e.message
    );
    assert!(e.message.contains(&server.url()), "{}", e.message);
    assert!(!e.is_server_level());
    t.send(&sample_mail("oda3@example.org", "3"))
        .expect("after a rejection the connection goes on");
    let got = server.wait_for(2, Duration::from_secs(5));
    let rcpts: Vec<_> = got.iter().map(|m| m.rcpts[0].clone()).collect();
    assert_eq!(rcpts, vec!["oda1@example.org", "oda3@example.org"]);
}

#[test]
fn a_refused_sender_is_server_level_and_says_where_and_what() {
    let server = start(ServerOptions {
        refuse_sender: Some("554 5.7.1 relay denied".into()),
        ..ServerOptions::default()
    });
    let mut t = SmtpTransport::new(settings(server.url())).expect("settings");
    let e = t.send(&sample_mail("oda1@example.org", "1")).unwrap_err();
    assert_eq!(
        (e.kind, e.stage, e.code),
        (FailureKind::Permanent, Stage::MailFrom, Some(554)),
        "{e}"
    );
    assert!(e.message.contains(&server.url()), "{}", e.message);
    assert!(e.message.contains("5.7.1 relay denied"), "{}", e.message);
    assert!(e.is_server_level(), "MAIL FROM names no recipient: {e}");
    // A connection lost at MAIL FROM, with no reply, stays with the message.
    let lost = SendError { code: None, ..e };
    assert!(!lost.is_server_level());
}

#[test]
fn connection_refused_is_transient_and_says_where() {
    let port = unused_port();
    let mut t = SmtpTransport::new(settings(format!("smtp://127.0.0.1:{port}"))).expect("settings");
    let e = t.send(&sample_mail("oda@example.org", "1")).unwrap_err();
    assert_eq!((e.kind, e.stage), (FailureKind::Transient, Stage::Connect), "{e}");
    assert!(e.message.contains(&format!("smtp://127.0.0.1:{port}")), "{}", e.message);
    assert!(e.is_server_level());
}

#[test]
fn timeout_is_transient() {
    // A listener that accepts but never greets.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let s = SmtpSettings {
        timeout: Duration::from_millis(300),
        ..settings(format!("smtp://127.0.0.1:{port}"))
    };
    let started = Instant::now();
    let e = SmtpTransport::new(s)
        .expect("settings")
        .send(&sample_mail("oda@example.org", "1"))
        .unwrap_err();
    assert_eq!((e.kind, e.stage), (FailureKind::Transient, Stage::Connect), "{e}");
    assert!(
        e.message.contains("no answer from the server within 300ms"),
        "{}",
        e.message
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(listener);
}

#[test]
fn injection_never_reaches_the_server() {
    let server = start(ServerOptions::default());
    let mut t = SmtpTransport::new(settings(server.url())).expect("settings");
    let m = OutgoingMail {
        subject: "Konu\r\nBcc: gizli@evil.example".into(),
        ..sample_mail("oda@example.org", "1")
    };
    let e = t.send(&m).unwrap_err();
    assert_eq!((e.kind, e.stage), (FailureKind::Permanent, Stage::Build));
    assert!(e.message.contains("subject"), "{}", e.message);
    let m = OutgoingMail {
        to_addr: "oda@example.org>\r\nRCPT TO:<x@evil.example".into(),
        ..sample_mail("x", "2")
    };
    assert_eq!(t.send(&m).unwrap_err().stage, Stage::Build);
    t.send(&sample_mail("oda@example.org", "3"))
        .expect("a good one still goes");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn pool_sends_a_batch_reports_each_and_limits_rate() {
    let server = start(ServerOptions {
        reject: vec!["oda7@example.org".into()],
        ..ServerOptions::default()
    });
    let s = SmtpSettings {
        pool_size: 3,
        per_connection_limit: Some(4),
        rate_per_sec: Some(100.0),
        ..settings(server.url())
    };
    let mails: Vec<_> = (0..30)
        .map(|i| sample_mail(&format!("oda{i}@example.org"), &i.to_string()))
        .collect();
    let mut results = vec![None; 30];
    let started = Instant::now();
    let n = parallel_send(&s, mails, |i, m, r| {
        assert_eq!(m.to_addr, format!("oda{i}@example.org"));
        results[i] = Some(r.map_err(|e| e.code));
        ControlFlow::Continue(())
    })
    .expect("settings");
    assert_eq!(n, 30);
    assert!(
        started.elapsed() >= Duration::from_millis(280),
        "rate limit of 100/s for 30 messages"
    );
    for (i, r) in results.iter().enumerate() {
        match r {
            Some(Err(code)) => assert_eq!((i, *code), (7, Some(550))),
            Some(Ok(_)) => assert_ne!(i, 7),
            None => panic!("message {i} was not reported"),
        }
    }
    let got = server.wait_for(29, Duration::from_secs(5));
    assert_eq!(got.len(), 29);
    let mut ids: Vec<_> = got.iter().map(|m| m.parsed["message_id"].to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 29, "one copy each");
}

#[test]
fn pool_stops_feeding_on_break_but_reports_in_flight() {
    let port = unused_port();
    let s = SmtpSettings {
        pool_size: 2,
        ..settings(format!("smtp://127.0.0.1:{port}"))
    };
    let mails = (0..100).map(|i| sample_mail(&format!("oda{i}@example.org"), &i.to_string()));
    let mut seen = 0;
    let n = SmtpPool::new(s).expect("settings").send_all(mails, |_, _, r| {
        seen += 1;
        match r {
            Err(e) if e.is_server_level() => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    });
    assert_eq!(n, seen);
    assert!(
        n <= 4,
        "at most the in-flight window is tried after a server-level failure: {n}"
    );
}

#[test]
fn lines_starting_with_dots_survive_the_wire() {
    let server = start(ServerOptions::default());
    let mut t = SmtpTransport::new(settings(server.url())).expect("settings");
    let text = "first\n.\n..two dots\n.three\nlast".to_string();
    let m = OutgoingMail {
        text: text.clone(),
        html: "<p>x</p>\n.\n<p>y</p>".into(),
        attachment: None,
        ..sample_mail("oda@example.org", "dots")
    };
    t.send(&m).expect("send");
    let got = server.wait_for(1, Duration::from_secs(5));
    let raw = String::from_utf8_lossy(&got[0].raw).to_string();
    assert!(
        raw.contains("\r\n..two dots\r\n.three\r\n"),
        "7-bit body with dot lines as built: {raw}"
    );
    let received = got[0].parsed["text"].as_str().expect("text").replace("\r\n", "\n");
    assert_eq!(received.trim_end(), text);
}

#[test]
fn smtps_wrapper_with_self_signed_cert_and_auth() {
    let server = start(ServerOptions {
        tls: true,
        smtps: true,
        auth: Some(("tamim".into(), "s3cret-parola".into())),
        ..ServerOptions::default()
    });
    let s = SmtpSettings {
        username: Some("tamim".into()),
        password: Some(Secret::new("s3cret-parola")),
        ca_cert_pem: Some(server.ca_cert()),
        ..settings(format!("smtps://127.0.0.1:{}", server.port()))
    };
    let mut t = SmtpTransport::new(s).expect("settings");
    assert_eq!(t.endpoint().tls, Tls::Wrapper);
    t.send(&sample_mail("oda@example.org", "1")).expect("SMTPS + AUTH send");
    let got = server.wait_for(1, Duration::from_secs(5));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpts, vec!["oda@example.org".to_string()]);
}
