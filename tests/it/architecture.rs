//! ARCHITECTURE.md's invariants that a test can hold: which crate may depend on which (the stack), and
//! which crate alone may use SQLite, SMTP, HTTP or the PDF writer. The compiler then keeps each crate to the
//! dependencies its manifest lists.

use std::collections::BTreeSet;
use std::path::Path;

/// The `[dependencies]` of one crate's manifest (not its dev-dependencies).
fn dependencies(crate_dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(crate_dir).join("Cargo.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

const CRATES: [&str; 7] = ["core", "store", "docs", "channels", "sign", "app", "server"];

#[test]
fn each_crate_depends_only_on_the_crates_below_it() {
    let allowed: [(&str, &[&str]); 7] = [
        ("core", &[]),
        ("store", &["tamim-core"]),
        ("docs", &["tamim-core"]),
        ("channels", &["tamim-core"]),
        ("sign", &[]),
        (
            "app",
            &[
                "tamim-core",
                "tamim-store",
                "tamim-docs",
                "tamim-channels",
                "tamim-sign",
            ],
        ),
        ("server", &["tamim-core", "tamim-store", "tamim-app"]),
    ];
    for (name, may) in allowed {
        let ours: BTreeSet<String> = dependencies(&format!("crates/{name}"))
            .into_iter()
            .filter(|d| d.starts_with("tamim"))
            .collect();
        let may: BTreeSet<String> = may.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            ours, may,
            "tamim-{name} depends on other crates of ours than ARCHITECTURE.md says"
        );
    }
}

#[test]
fn sqlite_smtp_http_and_pdf_each_live_in_one_crate() {
    // (library, the crates that may use it)
    let owners: [(&str, &[&str]); 8] = [
        // Signatures: the CMS types, PKCS#11 and the timestamp authority's HTTP client are tamim-sign's alone.
        ("cms", &["sign"]),
        ("cryptoki", &["sign"]),
        // …and the report-back client (`tamim_channels::report`) posts to another tamim.
        ("ureq", &["sign", "channels"]),
        ("rusqlite", &["store"]),
        ("lettre", &["channels"]),
        ("axum", &["server"]),
        ("lopdf", &["docs"]),
        ("printpdf", &["docs"]),
    ];
    for (lib, may) in owners {
        for name in CRATES {
            let uses = dependencies(&format!("crates/{name}")).contains(lib);
            assert_eq!(
                uses,
                may.contains(&name),
                "{lib} in tamim-{name}: ARCHITECTURE.md says only {may:?}"
            );
        }
    }
    let root = dependencies(".");
    assert!(
        !root.contains("rusqlite"),
        "the command reaches the database only through tamim-store"
    );
}
