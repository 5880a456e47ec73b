//! Sending a reminder by SMTP through the real CLI: the password goes to the real system keyring
//! (Secret Service, here gnome-keyring in a private D-Bus session) and never into the ledger file;
//! the message reaches an SMTP server on this machine with its PDF attached, and the sending is
//! logged in the debtor's history.
//!
//! Ignored by default: it needs a Secret Service. `scripts/test` runs it inside
//! `dbus-run-session` with an unlocked gnome-keyring (see `scripts/with-keyring`).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use assert_cmd::Command;
use serde_json::Value;

const PASSWORD: &str = "s3cret-Recouvre-7f1c";

/// A minimal SMTP server (RFC 5321 plain, AUTH PLAIN): accepts one message and hands over the
/// AUTH line and the DATA it received.
fn smtp_server() -> (u16, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut out = stream;
        let mut send = |line: &str| {
            out.write_all(line.as_bytes()).unwrap();
            out.write_all(b"\r\n").unwrap();
        };
        send("220 localhost ESMTP test");
        let (mut auth, mut data) = (String::new(), String::new());
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let command = line.trim_end().to_owned();
            let verb = command.split_whitespace().next().unwrap_or("").to_uppercase();
            match verb.as_str() {
                "EHLO" | "HELO" => send("250-localhost\r\n250 AUTH PLAIN LOGIN"),
                "AUTH" => {
                    auth = command.clone();
                    send("235 2.7.0 Authentication successful");
                }
                "MAIL" | "RCPT" => send("250 OK"),
                "DATA" => {
                    send("354 End data with <CR><LF>.<CR><LF>");
                    loop {
                        line.clear();
                        reader.read_line(&mut line).unwrap();
                        if line == ".\r\n" {
                            break;
                        }
                        // Transparency (RFC 5321 4.5.2): a leading dot was doubled by the client.
                        data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                    }
                    send("250 OK queued");
                }
                "QUIT" => {
                    send("221 Bye");
                    break;
                }
                _ => send("250 OK"),
            }
        }
        tx.send((auth, data)).unwrap();
    });
    (port, rx)
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring"]
fn a_reminder_is_sent_by_smtp_with_the_password_only_in_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let cli = |args: &[&str], stdin: &str| {
        let out = Command::cargo_bin("recouvre")
            .unwrap()
            .env("RECOUVRE_DB", &db)
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&["demo", "--until", "2026-11-24"], "");
    let rates = dir.path().join("rates.csv");
    std::fs::write(&rates, include_str!("fixtures/test-rates.csv")).unwrap();
    cli(&["rates", "import", rates.to_str().unwrap()], "");

    let (port, received) = smtp_server();
    let port = port.to_string();
    cli(
        &[
            "smtp",
            "set",
            "--host",
            "localhost",
            "--port",
            &port,
            "--user",
            "relances@studio-martin.fr",
            "--security",
            "none",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    // The keyring holds the password; the ledger file does not contain it anywhere.
    let shown: Value = serde_json::from_str(&cli(&["--json", "smtp", "show"], "")).unwrap();
    assert_eq!(shown["password_in_keyring"], true, "{shown}");
    let stored = keyring::Entry::new(recouvre::smtp::KEYRING_SERVICE, "relances@studio-martin.fr").unwrap();
    assert_eq!(stored.get_password().unwrap(), PASSWORD);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()), "password written to a file");
    }

    let eml = dir.path().join("relance.eml");
    let out = cli(
        &["email", "11", "--kind", "relance-amiable", "--at", "2026-11-24", "--out", eml.to_str().unwrap(), "--send"],
        "",
    );
    assert!(out.contains("Envoyé à"), "{out}");
    let (auth, data) = received.recv_timeout(std::time::Duration::from_secs(30)).expect("the server got a message");
    // AUTH PLAIN carries "\0user\0password" in base64.
    let token = auth.split_whitespace().last().unwrap_or("");
    let expected = base64_plain("relances@studio-martin.fr", PASSWORD);
    assert!(auth.to_uppercase().starts_with("AUTH PLAIN") && (token == expected || auth.contains(&expected)), "{auth}");
    assert!(data.contains("Subject:") && data.contains("application/pdf"), "{data}");
    let written = std::fs::read_to_string(&eml).unwrap().replace("\r\n", "\n");
    let sent = data.replace("\r\n", "\n");
    let first_difference = written.chars().zip(sent.chars()).position(|(a, b)| a != b);
    assert!(
        first_difference.is_none() && sent.trim_end() == written.trim_end(),
        "the .eml is what was sent; first difference at {first_difference:?}: {:?} / {:?}",
        first_difference.map(|i| written.chars().skip(i).take(80).collect::<String>()),
        first_difference.map(|i| sent.chars().skip(i).take(80).collect::<String>())
    );

    let history: Value = serde_json::from_str(&cli(&["--json", "interaction", "list", "--debtor", "11"], "")).unwrap();
    let sent = history
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["summary"].as_str().unwrap_or("").starts_with("e-mail envoyé"))
        .expect("logged");
    assert!(sent["document_sha256"].is_string(), "{sent}");

    cli(&["smtp", "forget"], "");
    assert!(stored.get_password().is_err(), "the password left the keyring");
}

fn base64_plain(user: &str, password: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("\0{user}\0{password}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
