//! `signin` with passkeys, for scripts: a software authenticator kept in a file
//! (`--passkey-file`) answers `WEB_AUTHN` (`--flow passkey`), and `passkey register`,
//! `passkey list` and `passkey delete` manage the user's passkeys.
//!
//! The file holds private keys: it is written readable by its owner only, and should be
//! kept like a password. A browser or a security key is the way for people; this is the
//! way for tests and automation.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use cognito_typestate::challenges::{WebAuthn, WebAuthnCredential};
use cognito_typestate::handler::{Handle, SignInError};
use cognito_typestate::webauthn::{Authenticator as _, SoftwareAuthenticator};
use cognito_typestate::{Client, Pending, Tokens};

use super::account::Done;
use super::{Args, Cancelled, Terminal, sign_in, step};

/// What to do with the user's passkeys (after signing in with `--flow`).
#[derive(Debug, clap::Subcommand)]
pub(super) enum PasskeyCommand {
    /// Create a passkey in `--passkey-file` and register it for the user.
    Register,
    /// List the user's passkeys: one line each on stdout (id, name, created).
    List,
    /// Delete one of the user's passkeys (and forget it in `--passkey-file`, if there).
    Delete {
        /// Its credential id, as `passkey list` shows it.
        credential_id: String,
    },
}

/// Where the software authenticator is kept, and the origin a new one signs for.
#[derive(Debug, Clone)]
pub(super) struct PasskeyFile {
    pub(super) path: PathBuf,
    pub(super) origin: Option<String>,
}

impl PasskeyFile {
    fn unusable(&self, why: impl std::fmt::Display) -> Cancelled {
        Cancelled::Refused(format!("--passkey-file {}: {why}", self.path.display()))
    }

    /// The authenticator in the file; `None` when there is no file yet.
    fn load(&self) -> Result<Option<SoftwareAuthenticator>, Cancelled> {
        match fs::read_to_string(&self.path) {
            Ok(json) => SoftwareAuthenticator::from_json(&json)
                .map(Some)
                .map_err(|e| self.unusable(e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.unusable(e)),
        }
    }

    /// The authenticator in the file, or a new one for `--passkey-origin` (default:
    /// `https://<relying party>`, or `http://localhost` for `localhost`).
    fn load_or_new(&self, rp_id: Option<&str>) -> Result<SoftwareAuthenticator, Cancelled> {
        if let Some(authenticator) = self.load()? {
            return Ok(authenticator);
        }
        let origin = match (&self.origin, rp_id) {
            (Some(origin), _) => origin.clone(),
            (None, Some("localhost")) => "http://localhost".to_owned(),
            (None, Some(rp_id)) => format!("https://{rp_id}"),
            (None, None) => return Err(self.unusable("no relying party; give --passkey-origin")),
        };
        SoftwareAuthenticator::new(&origin).map_err(|e| self.unusable(e))
    }

    /// Writes the file, owner-only, replacing it in one step.
    fn save(&self, authenticator: &SoftwareAuthenticator) -> Result<(), Cancelled> {
        let staged = self.path.with_extension("tmp");
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&staged).and_then(|mut file| {
            file.write_all(authenticator.to_json().expose().as_bytes())?;
            file.sync_all()
        });
        written
            .and_then(|()| fs::rename(&staged, &self.path))
            .map_err(|e| self.unusable(e))
    }
}

impl Handle<WebAuthn> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<WebAuthn>,
    ) -> Result<WebAuthnCredential, Cancelled> {
        let Some(file) = &self.passkeys else {
            return Err(Cancelled::Refused(
                "WEB_AUTHN: give --passkey-file (a software authenticator), or use a browser"
                    .into(),
            ));
        };
        let mut authenticator = file
            .load()?
            .ok_or_else(|| file.unusable("no such file; `passkey register` creates it"))?;
        step(format_args!(
            "WEB_AUTHN: signing with a passkey from {}",
            file.path.display()
        ));
        let answer = pending
            .challenge()
            .assert_with(&mut authenticator)
            .await
            .map_err(|e| file.unusable(e))?;
        // The passkey's sign counter went up: keep it.
        file.save(&authenticator)?;
        Ok(answer)
    }
}

/// Runs one `passkey` subcommand after signing in.
pub(super) async fn run(
    command: &PasskeyCommand,
    client: &Client,
    terminal: &mut Terminal,
    args: &Args,
) -> Done {
    let file = terminal.passkeys.clone();
    let tokens = sign_in(client, terminal, args).await?;
    match command {
        PasskeyCommand::Register => {
            let file = file.ok_or_else(|| {
                SignInError::Handler(Cancelled::Refused(
                    "passkey register: give --passkey-file to keep it in".into(),
                ))
            })?;
            register(client, &tokens, &file).await?;
        }
        PasskeyCommand::List => list(client, &tokens).await?,
        PasskeyCommand::Delete { credential_id } => {
            client.delete_passkey(&tokens, credential_id).await?;
            step(format_args!("passkey {credential_id} deleted"));
            forget(file.as_ref(), credential_id).map_err(SignInError::Handler)?;
        }
    }
    Ok(None)
}

/// Creates a passkey in the file's authenticator and registers it for the user.
async fn register(
    client: &Client,
    tokens: &Tokens,
    file: &PasskeyFile,
) -> Result<(), SignInError<Cancelled>> {
    let registration = client.start_passkey_registration(tokens).await?;
    let options = registration.options();
    let mut authenticator = file
        .load_or_new(options.rp.id.as_deref())
        .map_err(SignInError::Handler)?;
    let credential = authenticator
        .create(options)
        .await
        .map_err(|e| SignInError::Handler(file.unusable(e)))?;
    let id = credential.id.clone();
    registration.complete(credential).await?;
    // Only once the pool has it: a refused registration leaves no stray key.
    file.save(&authenticator).map_err(SignInError::Handler)?;
    step(format_args!(
        "passkey {id} registered, kept in {}",
        file.path.display()
    ));
    Ok(())
}

/// Prints the user's passkeys, one line each on stdout (id, name, created).
async fn list(client: &Client, tokens: &Tokens) -> Result<(), SignInError<Cancelled>> {
    let passkeys = client.list_passkeys(tokens).await?;
    step(format_args!("{} passkey(s)", passkeys.len()));
    for passkey in passkeys {
        println!(
            "{}\t{}\t{}",
            passkey.credential_id,
            passkey.friendly_credential_name.as_deref().unwrap_or("-"),
            passkey
                .created_at
                .map_or_else(|| "-".to_owned(), |t| format!("{t:.0}")),
        );
    }
    Ok(())
}

/// Forgets a deleted passkey in the file too, when it is there.
fn forget(file: Option<&PasskeyFile>, credential_id: &str) -> Result<(), Cancelled> {
    let Some(file) = file else { return Ok(()) };
    let Some(mut authenticator) = file.load()? else {
        return Ok(());
    };
    let id: cognito_typestate::webauthn::Base64Url =
        serde_json::from_value(serde_json::Value::from(credential_id))
            .map_err(|e| file.unusable(format!("credential id: {e}")))?;
    if authenticator.remove(id.as_bytes()) {
        file.save(&authenticator)?;
        step(format_args!("and forgotten in {}", file.path.display()));
    }
    Ok(())
}
