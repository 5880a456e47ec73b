//! Sending an e-mail by SMTP, for users who want Recouvre to send the reminders it wrote (by
//! default it only writes `.eml` files for their own mail client). The server settings are kept in
//! the ledger; the password only in the operating system's keyring (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) — never in the ledger or a file.
//!
//! This module does I/O (network, keyring): the shells call it; nothing in the law or dunning
//! engines depends on it.

use serde::Serialize;

use crate::error::{Error, Field, Result};

/// The keyring service name under which SMTP passwords are stored (the user name is the account).
pub const KEYRING_SERVICE: &str = "recouvre-smtp";

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// STARTTLS on the submission port (587): the usual choice.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on this machine (`localhost`), never across a network.
    None,
}

impl Security {
    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "starttls" => Ok(Security::StartTls),
            "tls" | "ssl" => Ok(Security::Tls),
            "none" => Ok(Security::None),
            _ => Err(Error::invalid(Field::Status, text, "valeurs possibles : starttls, tls, none")),
        }
    }
}

/// The SMTP server to send through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmtpSettings {
    /// Server name.
    pub host: String,
    /// Port (587 for STARTTLS, 465 for TLS).
    pub port: u16,
    /// Account (often the e-mail address).
    pub username: String,
    /// Protection.
    pub security: Security,
}

impl SmtpSettings {
    /// Checks the settings: a host name, an account, and no clear-text password across a network.
    pub fn check(&self) -> Result<()> {
        let host = self.host.trim();
        if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
            return Err(Error::invalid(Field::Name, &self.host, "nom du serveur SMTP attendu (smtp.exemple.fr)"));
        }
        if self.username.trim().is_empty() {
            return Err(Error::invalid(Field::Name, &self.username, "identifiant du compte SMTP attendu"));
        }
        if self.port == 0 {
            return Err(Error::invalid(Field::Count, "0", "port SMTP attendu (587 ou 465)"));
        }
        let local = ["localhost", "127.0.0.1", "::1"].contains(&host);
        if self.security == Security::None && !local {
            return Err(Error::invalid(
                Field::Status,
                "none",
                "sans chiffrement, le mot de passe circulerait en clair : réservé à un relais sur cette machine (localhost)",
            ));
        }
        Ok(())
    }
}

/// Runs a keyring call on a thread of its own: the Secret Service client runs its own event loop,
/// which must not be nested in the caller's async runtime.
fn keyring<T: Send + 'static>(call: impl FnOnce() -> keyring::Result<T> + Send + 'static) -> Result<T> {
    let outcome = std::thread::spawn(call).join().map_err(|_| Error::Keyring("le trousseau ne répond pas".into()))?;
    outcome.map_err(|e| Error::Keyring(e.to_string()))
}

/// Stores the account's password in the keyring.
pub fn save_password(settings: &SmtpSettings, password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(Error::invalid(Field::Name, "", "mot de passe SMTP vide"));
    }
    let (user, password) = (settings.username.clone(), password.to_owned());
    keyring(move || keyring::Entry::new(KEYRING_SERVICE, &user)?.set_password(&password))
}

/// Reads the account's password from the keyring.
pub fn password(settings: &SmtpSettings) -> Result<String> {
    let user = settings.username.clone();
    keyring(move || keyring::Entry::new(KEYRING_SERVICE, &user)?.get_password())
}

/// Removes the account's password from the keyring (nothing to remove is fine).
pub fn forget_password(settings: &SmtpSettings) -> Result<()> {
    let user = settings.username.clone();
    keyring(move || match keyring::Entry::new(KEYRING_SERVICE, &user)?.delete_credential() {
        Err(keyring::Error::NoEntry) => Ok(()),
        other => other,
    })
}

/// Sends a complete message (an `.eml`'s bytes) from `from` to `to`. Blocking: call it off the UI
/// thread.
pub fn send(settings: &SmtpSettings, password: &str, from: &str, to: &str, message: &[u8]) -> Result<()> {
    use lettre::Transport;
    use lettre::transport::smtp::authentication::Credentials;
    settings.check()?;
    let address =
        |text: &str| text.parse::<lettre::Address>().map_err(|e| Error::invalid(Field::Email, text, e.to_string()));
    let envelope = lettre::address::Envelope::new(Some(address(from)?), vec![address(to)?])
        .map_err(|e| Error::Smtp(e.to_string()))?;
    let builder = match settings.security {
        Security::StartTls => lettre::SmtpTransport::starttls_relay(&settings.host),
        Security::Tls => lettre::SmtpTransport::relay(&settings.host),
        Security::None => Ok(lettre::SmtpTransport::builder_dangerous(&settings.host)),
    }
    .map_err(|e| Error::Smtp(e.to_string()))?;
    let transport = builder
        .port(settings.port)
        .credentials(Credentials::new(settings.username.clone(), password.to_owned()))
        .timeout(Some(std::time::Duration::from_secs(30)))
        .build();
    transport.send_raw(&envelope, message).map_err(|e| Error::Smtp(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, security: Security) -> SmtpSettings {
        SmtpSettings { host: host.into(), port: 587, username: "moi@exemple.fr".into(), security }
    }

    #[test]
    fn clear_text_only_to_this_machine() {
        assert!(settings("smtp.exemple.fr", Security::StartTls).check().is_ok());
        assert!(settings("localhost", Security::None).check().is_ok());
        assert!(settings("smtp.exemple.fr", Security::None).check().is_err());
        assert!(settings("", Security::Tls).check().is_err());
        assert!(settings("smtp exemple", Security::Tls).check().is_err());
    }

    #[test]
    fn security_keys_round_trip() {
        for security in [Security::StartTls, Security::Tls, Security::None] {
            assert_eq!(Security::parse(security.as_str()).unwrap(), security);
        }
        assert!(Security::parse("ftp").is_err());
    }
}
