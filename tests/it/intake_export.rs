//! `tamim export DOC --eyp`: an issued document as an unsigned v2 package that the public v2 XSDs (checked with xmllint) and our own reader accept.

use crate::common;

use common::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The published v2 XSDs, copied with the two changes libxml2 needs to compile them and mean
/// what their authors meant (both written for .NET): `<xsd:any/>` beside an element of the
/// target namespace is ambiguous (a unique-particle-attribution error in libxml2), so it takes
/// `namespace="##other"`; and pattern anchors `^…$`, which XSD regular expressions read as
/// literal characters, are dropped (XSD patterns are always anchored).
fn schemas(dir: &Path) -> PathBuf {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eyazisma/xsd");
    let dst = dir.join("xsd");
    std::fs::create_dir_all(dst.join("reference")).unwrap();
    for sub in ["", "reference"] {
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                let text = std::fs::read_to_string(e.path()).unwrap();
                let text = text
                    .replace("<xsd:any />", "<xsd:any namespace=\"##other\" />")
                    .replace("pattern value=\"^", "pattern value=\"")
                    .replace("$\"", "\"");
                std::fs::write(dst.join(sub).join(e.file_name()), text).unwrap();
            }
        }
    }
    dst
}

fn unzip(package: &Path, to: &Path) {
    let f = std::fs::File::open(package).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    z.extract(to).unwrap();
}

#[test]
fn an_issued_tamim_exports_as_a_package_the_xsds_and_our_reader_accept() {
    let env = Env::new();
    env.ok(&["demo"]);
    let file = env.path("tamim.eyp");
    let out = env.ok(&["export", "4516", "--eyp", "--file", file.to_str().unwrap()]);
    assert!(out.contains("as an unsigned e-Yazışma package"), "{out}");

    let parts = env.path("parts");
    unzip(&file, &parts);
    let xsd = schemas(env.dir.path());
    for (part, schema) in [
        ("Ustveri/Ustveri.xml", "EY-Ustveri-2.xsd"),
        ("NihaiUstveri/NihaiUstveri.xml", "EY-NihaiUstveri-2.xsd"),
        ("PaketOzeti/PaketOzeti.xml", "EY-PaketOzeti-2.xsd"),
    ] {
        let o = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(xsd.join(schema))
            .arg(parts.join(part))
            .output()
            .expect("xmllint (libxml2-utils) is installed by scripts/test.sh");
        assert!(o.status.success(), "{part}: {}", String::from_utf8_lossy(&o.stderr));
    }

    // The forwarded genelge is its own part too (as it was attached: with İESOB's registration stamp),
    // listed under Ekler with its sayı and covered by PaketOzeti.
    let stamped: String = env
        .db()
        .query_row(
            "SELECT stamped_sha256 FROM documents WHERE sayi = 'E-85840981-167.01-122254'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ek = std::fs::read(parts.join("Ekler/EK-1.pdf")).unwrap();
    assert_eq!(
        ek,
        std::fs::read(env.registry().join("files").join(format!("{stamped}.pdf"))).unwrap()
    );
    let ust = std::fs::read_to_string(parts.join("Ustveri/Ustveri.xml")).unwrap();
    assert!(
        ust.contains("<BelgeNo>E-85840981-167.01-122254</BelgeNo><Tur>DED</Tur><DosyaAdi>EK-1.pdf</DosyaAdi>"),
        "{ust}"
    );
    assert!(ust.contains("<SiraNo>1</SiraNo>"), "{ust}");
    let rels = std::fs::read_to_string(parts.join("_rels/.rels")).unwrap();
    assert!(
        rels.contains("Type=\"http://eyazisma.dpt/iliskiler/ek\" Target=\"/Ekler/EK-1.pdf\""),
        "{rels}"
    );

    // Our reader takes it back: a fresh registry receives it with every digest checked.
    let other = Env::new();
    other.ok(&["org", "add", "ORNEK", "--name", "Örnek Odası", "--kind", "oda"]);
    let v: Value = serde_json::from_str(&other.ok(&["--json", "receive", file.to_str().unwrap(), "--yes"])).unwrap();
    assert_eq!(v["package"]["belge_no"], "4516");
    assert_eq!(v["package"]["konu"], "Sosyal Medya Etik İlkeleri hk.");
    assert_eq!(v["package"]["tarih"], "2021-11-05");
    assert_eq!(
        v["package"]["digests_checked"].as_array().unwrap().len(),
        4,
        "Ustveri, UstYazi, NihaiUstveri and the Ek"
    );
    assert_eq!(v["package"]["ekler"][0]["part"], "Ekler/EK-1.pdf");
    assert_eq!(v["package"]["signatories"][0], "Ömer DEMİR, Genel Sekreter");
    assert_eq!(v["document"]["sayi"], "4516");
    assert_eq!(v["document"]["pages"], 6);
    assert_eq!(
        other.count(
            "SELECT count(*) FROM documents WHERE attached_to IS NOT NULL AND sayi = 'E-85840981-167.01-122254'"
        ),
        1,
        "the Ek is registered as the genelge, attached to the Tamim"
    );
}

#[test]
fn export_refuses_an_incoming_document() {
    let env = Env::new();
    env.ok(&["demo"]);
    let err = env.fails(&["export", "#1", "--eyp"]);
    assert!(err.contains("is an incoming document"), "{err}");
}
