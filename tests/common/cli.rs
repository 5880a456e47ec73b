//! The real `recouvre` binary on a ledger file in a temporary directory.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct Cli {
    pub dir: TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Cli { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("recouvre").unwrap();
        cmd.env("RECOUVRE_DB", self.path("ledger.db")).args(args);
        cmd
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a command the CLI must refuse (exit 2); returns what it said on stderr.
    pub fn refused(&self, args: &[&str]) -> String {
        self.refused_both(args).1
    }

    /// Runs a command the CLI must refuse (exit 2); returns stdout and stderr.
    pub fn refused_both(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} should be refused: {}", String::from_utf8_lossy(&out.stdout));
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    }
}
