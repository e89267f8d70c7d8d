//! Tests of message building, composing and the file outbox.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;

pub(crate) fn templates() -> tamim_core::TemplateSet {
    compose::built_in()
}

pub(crate) fn sample_ctx() -> serde_json::Value {
    serde_json::json!({
        "recipient_name": "Beyoğlu Berberler Odası Başkanlığı",
        "issuer_name": "İstanbul Esnaf ve Sanatkarlar Odaları Birliği",
        "document_label": "Tamim 2021/243",
        "sayi": "4516",
        "date_text": "05 Kasım 2021",
        "konu": "Sosyal Medya Etik İlkeleri hk.",
        "role": "Gereği",
        "cascade_duty": "İlçe Belediye Başkanlıklarına duyurulacaktır",
        "ack_deadline_text": "19 Kasım 2021",
        "ack_link": "https://tamim.example.org/ack/3f9c2a",
        "attachment": { "mode": "attached", "filename": "Tamim-2021-243 Sosyal Medya Etik İlkeleri.pdf" }
    })
}

/// Bytes that look like a PDF and exercise the transfer encoding (all byte values, CRLF-dot).
pub(crate) fn sample_pdf() -> Arc<[u8]> {
    let mut v = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\r\n.\r\n..\n".to_vec();
    for i in 0..5000u32 {
        v.push((i * 7919 % 256) as u8);
    }
    v.extend_from_slice(b"\n%%EOF\n");
    v.into()
}

pub(crate) fn sample_mail(to_addr: &str, recipient_key: &str) -> OutgoingMail {
    let (text, html) = compose(&templates(), MailKind::Circular, &sample_ctx()).expect("compose");
    OutgoingMail {
        message_id: message_id("2021/243", recipient_key, "iesob.org.tr"),
        date: chrono::DateTime::parse_from_rfc3339("2021-11-05T09:30:00Z")
            .expect("date")
            .with_timezone(&chrono::Utc),
        from_name: "İstanbul Esnaf ve Sanatkarlar Odaları Birliği".into(),
        from_addr: "tamim@iesob.org.tr".into(),
        to_name: "Beyoğlu Berberler Odası Başkanlığı".into(),
        to_addr: to_addr.into(),
        subject: subject(MailKind::Circular, "Tamim 2021/243", "Sosyal Medya Etik İlkeleri hk."),
        text: format!("{text}.\n.satır nokta ile başlıyor\n"),
        html,
        attachment: Some(Attachment::new(
            "Tamim 2021-243 Sosyal Medya Etik İlkeleri.pdf",
            "application/pdf",
            sample_pdf(),
        )),
        headers: vec![("X-Tamim-Document".into(), "Tamim 2021/243".into())],
    }
}

fn support_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/support")
}

/// Parses an .eml with Python's e-mail package (the same reading the test server records).
pub(crate) fn python_parse(path: &Path) -> serde_json::Value {
    let code = "import sys, json; sys.path.insert(0, sys.argv[1]); from smtp_server import parse_summary; \
                print(json.dumps(parse_summary(open(sys.argv[2], 'rb').read())))";
    let out = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(code)
        .arg(support_dir())
        .arg(path)
        .output()
        .expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

pub(crate) fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tamim-mail-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("mkdir");
    d
}

#[test]
fn message_id_is_deterministic_safe_and_injective() {
    let a = message_id("2021/243", "oda-17", "iesob.org.tr");
    assert_eq!(a, "<doc-2021=2F243.recipient-oda-17@tamim.iesob.org.tr>");
    assert_eq!(a, message_id("2021/243", "oda-17", "iesob.org.tr"));
    assert_ne!(message_id("a/b", "x", "d"), message_id("a-b", "x", "d"));
    assert_ne!(message_id("a.b", "x", "d"), message_id("a", "b.x", "d"));
    let weird = message_id("Şile\r\n<x>", "\u{0}@", " Ex..AMPLE.org\n");
    assert!(weird.bytes().all(|b| b.is_ascii_graphic()), "{weird}");
    assert!(weird.ends_with("@tamim.ex.ample.org>"), "{weird}");
    let long = message_id(&"x/".repeat(100), "r", "d");
    assert!(long.len() < 120, "{long}");
    let m = OutgoingMail {
        message_id: weird,
        ..sample_mail("a@b.tr", "1")
    };
    build(&m).expect("an id from message_id always builds");
}

#[test]
fn build_encodes_turkish_subject_and_is_ascii() {
    let m = sample_mail("oda@example.org", "17");
    let raw = build(&m).expect("build").formatted();
    assert!(raw.is_ascii(), "the wire format should be 7-bit");
    let text = String::from_utf8(raw).expect("utf8");
    assert!(
        text.contains("Subject: [Tamim 2021/243] Sosyal Medya Etik =?utf-8?b?"),
        "{}",
        &text[..600]
    );
    assert!(text.contains("Message-ID: <doc-2021=2F243.recipient-17@tamim.iesob.org.tr>"));
    assert!(text.contains("Date: Fri, 05 Nov 2021 09:30:00"));
    assert!(text.contains("X-Tamim-Document: Tamim 2021/243"));
    assert!(text.contains("multipart/alternative"));
    assert!(
        text.contains("filename*"),
        "Turkish attachment name should use RFC 2231"
    );
    // Same input, same bytes (apart from MIME boundaries, which lettre randomises).
    assert_eq!(
        build(&m).expect("again").headers().to_string(),
        build(&m).expect("b").headers().to_string()
    );
}

#[test]
fn header_injection_is_refused_in_every_field() {
    let base = sample_mail("oda@example.org", "17");
    let cases: Vec<(&str, OutgoingMail)> = vec![
        (
            "subject",
            OutgoingMail {
                subject: "Konu\r\nBcc: x@evil.example".into(),
                ..base.clone()
            },
        ),
        (
            "subject",
            OutgoingMail {
                subject: "Konu\nBcc: x@evil.example".into(),
                ..base.clone()
            },
        ),
        (
            "recipient name",
            OutgoingMail {
                to_name: "Oda\r\nBcc: x@evil.example".into(),
                ..base.clone()
            },
        ),
        (
            "sender name",
            OutgoingMail {
                from_name: "Birlik\u{0}".into(),
                ..base.clone()
            },
        ),
        (
            "recipient address",
            OutgoingMail {
                to_addr: "a@b.tr\r\nBcc: x@evil.example".into(),
                ..base.clone()
            },
        ),
        (
            "subject",
            OutgoingMail {
                subject: "Konu\u{2028}X".into(),
                ..base.clone()
            },
        ),
        (
            "header X-Tamim-Document",
            OutgoingMail {
                headers: vec![("X-Tamim-Document".into(), "a\nb".into())],
                ..base.clone()
            },
        ),
    ];
    for (field, m) in cases {
        match build(&m) {
            Err(MailError::HeaderInjection { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected HeaderInjection, got {other:?}"),
        }
    }
    let e = build(&OutgoingMail {
        to_addr: "not an address".into(),
        ..base.clone()
    })
    .unwrap_err();
    assert!(
        matches!(&e, MailError::InvalidAddress { field, .. } if field == "recipient address"),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("recipient address is not a valid e-mail address"),
        "{e}"
    );
    let e = build(&OutgoingMail {
        from_addr: "".into(),
        ..base.clone()
    })
    .unwrap_err();
    assert!(matches!(e, MailError::InvalidAddress { .. }), "{e:?}");
    let e = build(&OutgoingMail {
        headers: vec![("Bcc".into(), "x@y.z".into())],
        ..base.clone()
    })
    .unwrap_err();
    assert!(matches!(e, MailError::InvalidHeaderName { .. }), "{e:?}");
    // A name starting with a two-byte letter is refused, not sliced through.
    let e = build(&OutgoingMail {
        headers: vec![("İx-Tamim".into(), "v".into())],
        ..base.clone()
    })
    .unwrap_err();
    assert!(matches!(e, MailError::InvalidHeaderName { .. }), "{e:?}");
    let e = build(&OutgoingMail {
        message_id: "<a@b>\r\nBcc: x".into(),
        ..base
    })
    .unwrap_err();
    assert!(matches!(e, MailError::HeaderInjection { .. }), "{e:?}");
}

#[test]
fn compose_renders_turkish_and_escapes_html() {
    let (text, html) = compose(&templates(), MailKind::Circular, &sample_ctx()).expect("compose");
    for needle in [
        "Sayın Beyoğlu Berberler Odası Başkanlığı,",
        "05 Kasım 2021 tarihli ve 4516 sayılı \"Sosyal Medya Etik İlkeleri hk.\" konulu Tamim 2021/243",
        "Dağıtımdaki yeriniz: Gereği",
        "Dağıtım notu: Yazı, tarafınızca İlçe Belediye Başkanlıklarına duyurulacaktır.",
        "en geç 19 Kasım 2021 tarihine kadar",
        "https://tamim.example.org/ack/3f9c2a",
        "ekinde PDF dosyası olarak",
    ] {
        assert!(text.contains(needle), "text lacks {needle:?}:\n{text}");
    }
    assert!(
        html.contains("<a href=\"https://tamim.example.org/ack/3f9c2a\">"),
        "{html}"
    );
    let mut ctx = sample_ctx();
    ctx["recipient_name"] = "<script>alert(1)</script> & Ortakları".into();
    ctx["role"] = "Bilgi".into();
    ctx["cascade_duty"] = serde_json::Value::Null;
    ctx["attachment"] = serde_json::json!({"mode": "linked", "link": "https://x.example/d.pdf?a=1&b=2"});
    let (text, html) = compose(&templates(), MailKind::Circular, &ctx).expect("compose");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("https://x.example/d.pdf?a=1&amp;b=2"), "{html}");
    assert!(
        text.contains("<script>alert(1)</script> & Ortakları"),
        "plain text is not escaped"
    );
    assert!(text.contains("bilgilerinize sunulmuştur"), "{text}");
    assert!(!text.contains("Dağıtım notu"), "{text}");
    assert!(
        text.contains("bağlantıdan indirilebilir:\nhttps://x.example/d.pdf?a=1&b=2"),
        "{text}"
    );
    let composer = Composer::load(&templates(), &[MailKind::Circular, MailKind::Reminder]).expect("load");
    assert_eq!(
        composer.render(MailKind::Circular, &ctx).expect("render"),
        (text.clone(), html.clone())
    );
    let (rt, rh) = composer.render(MailKind::Reminder, &ctx).expect("reminder");
    assert!(
        rt.contains("henüz tarafımıza ulaşmamıştır") && rh.contains("Hatırlatma"),
        "{rt}"
    );
}

#[test]
fn compose_is_strict_about_missing_fields() {
    let mut ctx = sample_ctx();
    ctx.as_object_mut().expect("object").remove("ack_link");
    let e = compose(&templates(), MailKind::Circular, &ctx).unwrap_err();
    assert!(
        matches!(&e, MailError::Template { name, .. } if name == "circular.txt.j2"),
        "{e:?}"
    );
    assert!(e.to_string().contains("undefined"), "{e}");
    let e = compose(&tamim_core::TemplateSet::default(), MailKind::Circular, &sample_ctx()).unwrap_err();
    assert!(
        e.to_string().contains("circular.txt.j2: there is no such template"),
        "{e}"
    );
}

#[test]
fn subject_line() {
    assert_eq!(
        subject(MailKind::Circular, "Tamim 2021/243", "Sosyal Medya Etik İlkeleri hk."),
        "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk."
    );
    assert_eq!(
        subject(
            MailKind::Reminder,
            "Tamim 2021/243",
            "Sosyal Medya\r\nEtik  İlkeleri hk."
        ),
        "Hatırlatma: [Tamim 2021/243] Sosyal Medya Etik İlkeleri hk."
    );
}

#[test]
fn file_transport_writes_parseable_eml_idempotently() {
    file_transport_writes(false);
}

#[test]
fn file_transport_writes_through_temporary_names_where_unnamed_files_are_not_supported() {
    file_transport_writes(true);
}

/// A re-send of a message replaces its file whole, whichever way files are written.
fn file_transport_writes(named: bool) {
    let dir = scratch(if named { "outbox-named" } else { "outbox" });
    let mut t = FileTransport::new(dir.join("outbox"));
    if named {
        t = t.named_files_only();
    }
    let m = sample_mail("oda@example.org", "17");
    let changed = OutgoingMail {
        subject: "Değişti".into(),
        ..m.clone()
    };
    t.send(&changed).expect("first version");
    assert!(
        std::fs::read_to_string(t.path_for(&m))
            .unwrap()
            .contains("Subject: =?utf-8?b?RGXEn2nFn3Rp?="),
        "{}",
        t.path_for(&m).display()
    );
    let d = t.send(&m).expect("send");
    let path = t.path_for(&m);
    // The file's name only: no path on the server in what is recorded.
    assert_eq!(
        d.reply,
        format!("file: {}", path.file_name().unwrap().to_string_lossy())
    );
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("doc-2021=2F243.recipient-17@tamim.iesob.org.tr.eml")
    );
    t.send(&m).expect("again");
    t.send(&sample_mail("oda2@example.org", "18")).expect("other");
    let names: Vec<_> = std::fs::read_dir(dir.join("outbox"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(names.len(), 2, "a re-send overwrites; no temp files left");
    let p = python_parse(&path);
    assert_eq!(p["subject"], "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(p["to"], "Beyoğlu Berberler Odası Başkanlığı <oda@example.org>");
    assert_eq!(
        p["attachments"][0]["filename"],
        "Tamim 2021-243 Sosyal Medya Etik İlkeleri.pdf"
    );
    let want = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&sample_pdf()[..]));
    assert_eq!(p["attachments"][0]["sha256"], want);
    assert!(p["text"].as_str().unwrap_or("").contains("Dağıtımdaki yeriniz: Gereği"));
    assert_eq!(p["defects"], serde_json::json!([]));
    let bad = OutgoingMail {
        subject: "a\nb".into(),
        ..m
    };
    let e = t.send(&bad).unwrap_err();
    assert_eq!((e.kind, e.stage), (FailureKind::Permanent, Stage::Build));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn secret_never_prints() {
    let s = Secret::new("hunter2-çok-gizli");
    assert_eq!(format!("{s} {s:?}"), "*** ***");
    let settings = SmtpSettings {
        password: Some(s),
        ..SmtpSettings::default()
    };
    assert!(!format!("{settings:?}").contains("hunter2"));
}

#[test]
fn smtp_urls() {
    let ep = |u: &str| {
        SmtpSettings {
            url: u.into(),
            ..SmtpSettings::default()
        }
        .endpoint()
    };
    assert_eq!(
        ep("smtp://127.0.0.1:2525").expect("ok").to_string(),
        "smtp://127.0.0.1:2525"
    );
    let e = ep("smtp://mail.example.org?tls=starttls").expect("ok");
    assert_eq!((e.port, e.tls), (587, Tls::Starttls));
    let e = ep("smtps://mail.example.org").expect("ok");
    assert_eq!((e.port, e.tls), (465, Tls::Wrapper));
    let e = ep("smtp://[::1]:25").expect("ok");
    assert_eq!(e.host, "::1");
    for bad in [
        "mail.example.org",
        "http://x",
        "smtp://u:p@x",
        "smtp://x:99999",
        "smtp://x?tls=bogus",
        "smtp://",
    ] {
        assert!(ep(bad).is_err(), "{bad}");
    }
    let plain_remote = SmtpSettings {
        url: "smtp://mail.example.org".into(),
        username: Some("u".into()),
        ..SmtpSettings::default()
    };
    assert!(
        SmtpTransport::new(plain_remote).is_err(),
        "no password over plain text to a remote host"
    );
}

#[test]
fn dot_stuffing() {
    assert_eq!(
        smtp::data_payload(b"a\r\n.b\r\n.\r\n"),
        b"a\r\n..b\r\n..\r\n.\r\n".to_vec()
    );
    assert_eq!(smtp::data_payload(b".x"), b"..x\r\n.\r\n".to_vec());
}

#[test]
fn send_parallel_over_file_transports_reports_every_message() {
    let dir = scratch("parallel");
    let mut ts = vec![FileTransport::new(dir.join("outbox")); 3];
    let mails: Vec<_> = (0..20)
        .map(|i| sample_mail(&format!("oda{i}@example.org"), &i.to_string()))
        .collect();
    let mut seen = [false; 20];
    let n = send_parallel(&mut ts, mails, |i, m, r| {
        assert_eq!(m.to_addr, format!("oda{i}@example.org"));
        assert!(r.is_ok(), "{r:?}");
        seen[i] = true;
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(n, 20);
    assert!(seen.iter().all(|s| *s));
    assert_eq!(std::fs::read_dir(dir.join("outbox")).expect("dir").count(), 20);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A job that panics while composing (a bug) fails its own message, with the panic's text, and the others
/// still go: the caller is never left waiting for an answer that will not come.
#[test]
fn a_job_that_panics_fails_alone_and_nobody_waits() {
    struct Flaky(OutgoingMail, bool);
    impl Job for Flaky {
        type Message = BuiltMail;
        fn build(&self) -> Result<BuiltMail, SendError> {
            if self.1 {
                let s = "İlçe";
                let _ = &s[..1]; // the slicing bug that once hung `tamim send`
            }
            self.0.build()
        }
    }
    let dir = scratch("panicking");
    let mut ts = vec![FileTransport::new(dir.join("outbox")); 2];
    let jobs: Vec<_> = (0..10)
        .map(|i| Flaky(sample_mail(&format!("oda{i}@example.org"), &i.to_string()), i == 3))
        .collect();
    let mut results = vec![None; 10];
    let n = send_jobs(&mut ts, 4, jobs, |i, _, r| {
        results[i] = Some(r.map(|_| ()).map_err(|e| (e.kind, e.message)));
        std::ops::ControlFlow::Continue(())
    });
    assert_eq!(n, 10);
    for (i, r) in results.iter().enumerate() {
        match r {
            Some(Err((kind, message))) if i == 3 => {
                assert_eq!(*kind, FailureKind::Permanent);
                assert!(
                    message.starts_with("internal error: ") && message.contains("char boundary"),
                    "{message}"
                );
            }
            Some(Ok(())) if i != 3 => {}
            other => panic!("job {i}: {other:?}"),
        }
    }
    assert_eq!(std::fs::read_dir(dir.join("outbox")).expect("dir").count(), 9);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_subject_holding_an_encoded_word_reads_as_typed() {
    let dir = scratch("encoded-word");
    let mut t = FileTransport::new(dir.join("outbox"));
    for subject in [
        "=?utf-8?q?Sahte?= konu",
        "[Tamim 2021/243] Sosyal Medya Etik İlkeleri hk. =?utf-8?b?SGFjaw==?= ve uzun bir açıklama, çok uzun: ğüşıöç ĞÜŞİÖÇ",
    ] {
        let m = OutgoingMail { subject: subject.into(), ..sample_mail("oda@example.org", "17") };
        t.send(&m).expect("send");
        let path = t.path_for(&m);
        let raw = std::fs::read_to_string(&path).unwrap();
        let header: Vec<&str> = raw.lines().skip_while(|l| !l.starts_with("Subject:")).take_while(|l| l.starts_with("Subject:") || l.starts_with(' ')).collect();
        assert!(header.iter().all(|l| l.len() <= 78 && l.is_ascii()), "folded, ASCII: {header:?}");
        assert_eq!(python_parse(&path)["subject"], subject, "{header:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `send_on_demand`: a connection takes its next job only with the result of its last one, so the jobs out
/// without a result are never more than the connections, every job is reported once, and a `None` ends
/// each thread.
#[test]
fn on_demand_each_connection_holds_one_job_at_most() {
    let dir = scratch("on-demand");
    let mut ts = vec![FileTransport::new(dir.join("outbox")); 3];
    let mut next = 0usize;
    let (mut out, mut most_out, mut reported) = (0usize, 0usize, vec![0u8; 40]);
    let n = send_on_demand(&mut ts, |batch: &mut Vec<Request<OutgoingMail>>| {
        let mut answers = Vec::new();
        for r in batch.drain(..) {
            if let Some((m, res)) = r.done {
                res.expect("written");
                let i: usize = m
                    .to_addr
                    .trim_start_matches("oda")
                    .split('@')
                    .next()
                    .unwrap_or("")
                    .parse()
                    .expect("n");
                reported[i] += 1;
                out -= 1;
            }
            answers.push((next < 40).then(|| {
                next += 1;
                out += 1;
                sample_mail(&format!("oda{}@example.org", next - 1), &next.to_string())
            }));
        }
        most_out = most_out.max(out);
        answers
    });
    assert_eq!(n, 40);
    assert!(reported.iter().all(|r| *r == 1), "{reported:?}");
    assert!(most_out <= 3, "{most_out} jobs out over 3 connections");
    assert_eq!(std::fs::read_dir(dir.join("outbox")).expect("dir").count(), 40);
    let _ = std::fs::remove_dir_all(&dir);
}
