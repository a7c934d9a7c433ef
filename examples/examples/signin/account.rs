//! The `signin` subcommands for the rest of an account's life: sign-up, confirmation,
//! password reset, sign-out. They prompt like the sign-in does, through the same
//! `Terminal`, answering the library's handler prompts.

use cognito_typestate::account::{CodeDelivery, PendingConfirmation, PendingReset, SignUp};
use cognito_typestate::flows::AutoSignIn;
use cognito_typestate::handler::{Handle, ResetAnswer, ResetCode, SignInError, SignUpCode};
use cognito_typestate::{Client, Secret, Tokens};

use super::{Args, Cancelled, Terminal, refused, sign_in, step};

/// What to do instead of signing in.
#[derive(Debug, clap::Subcommand)]
pub(super) enum Command {
    /// Sign up (with --password, or asked; --attribute for e-mail, phone...), confirm
    /// with the code, then sign in automatically when the pool offers it.
    SignUp,
    /// Confirm an earlier sign-up with its code.
    Confirm {
        /// Send a new code first.
        #[arg(long)]
        resend: bool,
    },
    /// Reset a forgotten password: a code is sent, then the code and a new password.
    ResetPassword,
    /// Sign in, then sign out on every device (every token of the user stops working).
    SignOut {
        /// Revoke only this sign-in's refresh token instead.
        #[arg(long)]
        revoke: bool,
    },
    /// Passkeys: register one (kept in --passkey-file), list or delete them.
    Passkey {
        #[command(subcommand)]
        action: super::passkey::PasskeyCommand,
    },
}

pub(super) type Done = Result<Option<Tokens>, SignInError<Cancelled>>;

/// Runs one subcommand; the tokens when it signed in.
pub(super) async fn run(
    command: &Command,
    client: &Client,
    terminal: &mut Terminal,
    args: &Args,
) -> Done {
    match command {
        Command::SignUp => sign_up(client, terminal, args).await,
        Command::Confirm { resend } => {
            let mut pending = client.pending_confirmation(&args.username);
            if *resend {
                let delivery = pending.resend_code().await?;
                step(format_args!("a new code was sent{}", to(delivery)));
            }
            let account = cognito_typestate::handler::confirm_sign_up(
                cognito_typestate::account::SignUpOutcome::ConfirmationRequired(pending),
                terminal,
            )
            .await?;
            step(format_args!(
                "{} is confirmed; sign in with `signin`",
                account.username()
            ));
            Ok(None)
        }
        Command::ResetPassword => {
            client.reset_password_with(&args.username, terminal).await?;
            step("the password is reset; sign in with the new one");
            Ok(None)
        }
        Command::Passkey { action } => super::passkey::run(action, client, terminal, args).await,
        Command::SignOut { revoke } => {
            let tokens = sign_in(client, terminal, args).await?;
            if *revoke {
                client.revoke(tokens).await?;
                step("the refresh token is revoked");
            } else {
                client.sign_out_everywhere(tokens).await?;
                step("signed out everywhere");
            }
            Ok(None)
        }
    }
}

async fn sign_up(client: &Client, terminal: &mut Terminal, args: &Args) -> Done {
    let mut sign_up =
        SignUp::new(&args.username).password(terminal.password().map_err(SignInError::Handler)?);
    for (name, value) in &args.attributes {
        sign_up = sign_up.attribute(name, value);
    }
    step(format_args!("SignUp as {}", args.username));
    let account = client.sign_up_with(sign_up, terminal).await?;
    let Some(auto) = AutoSignIn::after(account) else {
        step("confirmed; sign in with `signin`");
        return Ok(None);
    };
    step("confirmed; signing in with the sign-up's session");
    Ok(Some(client.sign_in(auto, terminal).await?))
}

/// ` to DESTINATION` when the service said where the code went.
fn to(delivery: Option<&CodeDelivery>) -> String {
    delivery
        .and_then(|d| d.destination.as_deref())
        .map_or_else(String::new, |d| format!(" to {d}"))
}

impl Handle<SignUpCode> for Terminal {
    async fn answer(&mut self, pending: &PendingConfirmation) -> Result<Secret, Cancelled> {
        if !refused("code", pending.rejection()) {
            step(format_args!(
                "confirm the sign-up: a code was sent{}",
                to(pending.delivery())
            ));
        }
        self.code("confirmation code").map(Secret::new)
    }
}

impl Handle<ResetCode> for Terminal {
    async fn answer(&mut self, pending: &PendingReset) -> Result<ResetAnswer, Cancelled> {
        if !refused("code or new password", pending.rejection()) {
            step(format_args!(
                "reset the password: a code was sent{}",
                to(pending.delivery())
            ));
        }
        let code = self.code("reset code")?;
        Ok(ResetAnswer::new(code, self.new_password()?))
    }
}
