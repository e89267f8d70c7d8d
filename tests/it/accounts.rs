//! `tamim user add|list|disable|passwd`: accounts made from the command line (the first yönetici), each
//! bad input refused in Turkish with nothing written; and the login, session, CSRF and role rules of
//! `tamim serve` over real HTTP (`accounts_http`).

use std::io::Write;
use std::process::{Output, Stdio};

use crate::common::{stderr, stdout, Env};

/// Run `tamim ARGS` with `input` on standard input.
pub fn with_stdin(env: &Env, args: &[&str], input: &str) -> Output {
    let mut child = env
        .cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tamim");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Add a user with `password` (and the roles given), requiring success.
pub fn add_user(env: &Env, username: &str, password: &str, roles: &[&str]) {
    let mut args = vec!["user", "add", username, "--name", "Ayşe Yılmaz", "--password-stdin"];
    for r in roles {
        args.push("--role");
        args.push(r);
    }
    let out = with_stdin(env, &args, &format!("{password}\n"));
    assert!(out.status.success(), "user add failed: {}", stderr(&out));
}

fn users(env: &Env) -> i64 {
    env.count("SELECT COUNT(*) FROM users")
}

fn events(env: &Env) -> i64 {
    env.count("SELECT COUNT(*) FROM events")
}

#[test]
fn add_list_disable_passwd_each_an_event() {
    let env = Env::new().turkish();
    let out = with_stdin(
        &env,
        &[
            "user",
            "add",
            "ayse",
            "--name",
            "Ayşe Yılmaz",
            "--role",
            "yönetici",
            "--role",
            "paraf:Hukuk Birimi",
            "--password-stdin",
        ],
        "çok gizli parola 1\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ayse (Ayşe Yılmaz) eklendi; rolleri: paraf (Hukuk Birimi), yönetici."),
        "{}",
        stdout(&out)
    );
    let hash: String = env
        .db()
        .query_row("SELECT password_hash FROM users WHERE username = 'ayse'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains("çok gizli"));
    add_user(&env, "mehmet", "baska bir parola", &["denetci"]);

    let table = env.ok(&["user", "list"]);
    insta::assert_snapshot!("user_list_turkish", table);
    for want in [
        "KULLANICI ADI",
        "ayse",
        "paraf (Hukuk Birimi), yönetici",
        "mehmet",
        "denetçi",
        "etkin",
        "2 kullanıcı",
    ] {
        assert!(table.contains(want), "{want:?} in\n{table}");
    }
    let v = env.json(&["user", "list"]);
    assert_eq!(v[0]["username"], "ayse");
    assert_eq!(v[0]["roles"][0]["role"], "reviewer");
    assert_eq!(v[0]["roles"][0]["unit"], "Hukuk Birimi");
    assert_eq!(v[1]["roles"][0]["role"], "auditor");
    assert!(v[0].get("password_hash").is_none());

    let out = env.ok(&["user", "disable", "mehmet"]);
    assert!(out.contains("mehmet devre dışı bırakıldı"), "{out}");
    assert!(env.ok(&["user", "list"]).contains("devre dışı"));

    let out = with_stdin(
        &env,
        &["user", "passwd", "ayse", "--password-stdin"],
        "yepyeni parola 2\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let kinds: Vec<String> = env
        .db()
        .prepare("SELECT kind FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        ["user.added", "user.added", "user.disabled", "user.password-changed"]
    );
    env.ok(&["log", "verify"]);
}

#[test]
fn bad_inputs_are_refused_in_turkish_with_nothing_written() {
    let env = Env::new().turkish();
    add_user(&env, "ayse", "çok gizli parola 1", &["yönetici"]);
    let (u, e) = (users(&env), events(&env));
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &[
                "user",
                "add",
                "ali",
                "--name",
                "Ali",
                "--role",
                "müdür",
                "--password-stdin",
            ],
            "uzun bir parola 1\n",
            "bilinmeyen rol \"müdür\"",
        ),
        (
            &[
                "user",
                "add",
                "ayse",
                "--name",
                "Ayşe",
                "--role",
                "paraf",
                "--password-stdin",
            ],
            "uzun bir parola 1\n",
            "\"ayse\" adlı bir kullanıcı zaten var",
        ),
        (
            &[
                "user",
                "add",
                "ali",
                "--name",
                "Ali",
                "--role",
                "paraf",
                "--password-stdin",
            ],
            "\n",
            "parola boş olamaz",
        ),
        (
            &[
                "user",
                "add",
                "ali",
                "--name",
                "Ali",
                "--role",
                "paraf",
                "--password-stdin",
            ],
            "kısa\n",
            "parola çok kısa: en az 10 karakter olmalı",
        ),
        (
            &[
                "user",
                "add",
                "Ali Veli",
                "--name",
                "Ali",
                "--role",
                "paraf",
                "--password-stdin",
            ],
            "uzun bir parola 1\n",
            "kullanıcı adı \"Ali Veli\" geçersiz",
        ),
        (
            &["user", "passwd", "yok", "--password-stdin"],
            "uzun bir parola 1\n",
            "\"yok\" adlı bir kullanıcı yok",
        ),
    ];
    for (args, input, want) in cases {
        let out = with_stdin(&env, args, input);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{args:?}: {want:?} in {}", stderr(&out));
        assert!(stderr(&out).contains("hiçbir şey yazılmadı"), "{}", stderr(&out));
    }
    let err = env.fails(&["user", "disable", "yok"]);
    assert!(err.contains("\"yok\" adlı bir kullanıcı yok"), "{err}");
    // No terminal and no --password-stdin: refused, not hung.
    let out = env
        .cmd()
        .args(["user", "add", "ali", "--name", "Ali", "--role", "paraf"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!((users(&env), events(&env)), (u, e));
    // The password is never an argument.
    let out = env.run(&[
        "user",
        "add",
        "ali",
        "--name",
        "Ali",
        "--role",
        "paraf",
        "--password",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!((users(&env), events(&env)), (u, e));
}
