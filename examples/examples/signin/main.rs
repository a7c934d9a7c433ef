//! `signin`: sign in to a Cognito user pool from the terminal or a script.
//!
//! ```text
//! cargo run -p examples --example signin -- \
//!     --region eu-west-1 --user-pool-id eu-west-1_AbC123 --client-id 1example23456789 \
//!     --username alice [--password P] [--flow srp|password|custom|user-auth|passkey] \
//!     [--client-secret S] [--new-password P] [--totp-secret BASE32] [--code CODE] \
//!     [--attribute NAME=VALUE]... [--passkey-file PATH] [--endpoint URL] [--json]
//! ```
//!
//! Whatever is not given is asked for: the password and new passwords hidden (a new
//! password twice), codes and answers in the clear. Setting up an authenticator app
//! shows its secret, `otpauth://` URI and a QR code. Every step is reported on stderr;
//! with `--json`, stdout is one JSON object with the tokens. Without `--endpoint` it
//! talks to Amazon Cognito in `--region`.
//!
//! Subcommands for the rest of an account's life (same options, same prompts):
//!
//! ```text
//! signin ... sign-up [--attribute NAME=VALUE]...  # sign up, confirm with the code, auto sign-in
//! signin ... confirm [--resend]                   # confirm an earlier sign-up
//! signin ... reset-password                       # forgotten password: code, then a new one
//! signin ... sign-out [--revoke]                  # sign in, then sign out everywhere (or revoke)
//! signin ... --passkey-file F passkey register    # sign in, create a passkey in F, register it
//! signin ... passkey list | passkey delete ID     # sign in, list or delete the user's passkeys
//! ```
//!
//! `--flow passkey` signs in with a passkey from `--passkey-file`: a software
//! authenticator kept in a file (private keys, owner-only), for scripts and tests.
//!
//! Exit status: 0 done; 1 the service or the connection refused; 2 bad arguments;
//! 3 cancelled (an input ended or was refused). Errors are one line on stderr.
//!
//! The challenges are answered by one handler per challenge
//! ([`cognito_typestate::handler`]); the compiler checks that every challenge each
//! flow can reach has one.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

mod account;
mod passkey;
use cognito_typestate::challenges::{
    AfterCustomChallenge, CustomAnswer, CustomChallenge, EmailOtp, EmailOtpCode, FirstFactor,
    MfaSelection, MfaSetup, MfaType, NewPassword, NewPasswordRequired, Password, PasswordAnswer,
    PasswordSrp, SelectChallenge, SelectMfaType, SmsMfa, SmsMfaCode, SmsOtp, SmsOtpCode,
    SoftwareTokenMfa, SoftwareTokenMfaCode, TotpSetup,
};
use cognito_typestate::flows::{CustomAuth, UserAuth, UserPasswordAuth, UserSrpAuth};
use cognito_typestate::handler::{
    FirstFactorAnswer, Handle, Handler, MfaSetupChoice, SignInError, SoftwareTokenSetup,
    TotpVerification,
};
use cognito_typestate::{BuildError, Client, Pending, Secret, ServiceError, Tokens};

/// Sign in to an Amazon Cognito user pool.
#[derive(Debug, Parser)]
#[command(name = "signin", version)]
struct Args {
    /// Service endpoint (an emulator, moto, ...); default: Amazon Cognito in --region.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// AWS region; default: the one in --user-pool-id.
    #[arg(long, env = "AWS_REGION")]
    region: Option<String>,
    /// User pool id, e.g. eu-west-1_AbC123.
    #[arg(long, value_name = "ID")]
    user_pool_id: String,
    /// App client id.
    #[arg(long, value_name = "ID")]
    client_id: String,
    /// App client secret, for clients that have one.
    #[arg(
        long,
        value_name = "S",
        env = "COGNITO_CLIENT_SECRET",
        hide_env_values = true
    )]
    client_secret: Option<String>,
    /// Username (or an alias: e-mail, phone number).
    #[arg(long, value_name = "NAME")]
    username: String,
    /// Password; asked for (hidden) when a flow needs it.
    #[arg(
        long,
        value_name = "P",
        env = "COGNITO_PASSWORD",
        hide_env_values = true
    )]
    password: Option<String>,
    /// Sign-in flow.
    #[arg(long, value_enum, default_value_t = FlowArg::Srp)]
    flow: FlowArg,
    /// New password, when the user has a temporary one; asked for (twice) otherwise.
    #[arg(long, value_name = "P")]
    new_password: Option<String>,
    /// Base32 TOTP secret: compute authenticator codes instead of asking.
    #[arg(long, value_name = "BASE32")]
    totp_secret: Option<String>,
    /// The first code or custom answer asked (SMS, e-mail, TOTP, custom challenge).
    #[arg(long, value_name = "CODE")]
    code: Option<String>,
    /// A user attribute the pool requires with a new password (repeatable).
    #[arg(long = "attribute", value_name = "NAME=VALUE", value_parser = parse_attribute)]
    attributes: Vec<(String, String)>,
    /// A software authenticator kept in this file (created by `passkey register`)
    /// answers passkey challenges. It holds private keys: keep it like a password.
    #[arg(long, value_name = "PATH", global = true)]
    passkey_file: Option<std::path::PathBuf>,
    /// The origin a new --passkey-file signs for; default: https://<relying party id>
    /// (http://localhost for localhost).
    #[arg(long, value_name = "URL", global = true)]
    passkey_origin: Option<String>,
    /// Issuer shown in authenticator apps when setting one up.
    #[arg(long, default_value = "Amazon Cognito")]
    issuer: String,
    /// Print the tokens as one JSON object on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Show the library's spans on stderr as they end: -v each step (flow, challenge,
    /// attempt, outcome, duration), -vv each call too. They never hold a secret.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// What to do instead of signing in.
    #[command(subcommand)]
    command: Option<account::Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FlowArg {
    /// USER_SRP_AUTH: the password never leaves this machine.
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent over TLS.
    Password,
    /// CUSTOM_AUTH: the pool's Lambda triggers ask; with --password, SRP first.
    Custom,
    /// USER_AUTH: choose a factor (password, e-mail or SMS code, passkey).
    UserAuth,
    /// USER_AUTH with a passkey from --passkey-file (WEB_AUTHN).
    Passkey,
}

fn parse_attribute(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

/// Why the user's side stopped.
#[derive(Debug)]
enum Cancelled {
    /// Standard input ended before an answer.
    InputEnded(&'static str),
    /// Nothing usable was offered, or the answer could not be used.
    Refused(String),
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InputEnded(what) => write!(f, "no {what} given (input ended)"),
            Self::Refused(why) => f.write_str(why),
        }
    }
}

/// Answers challenges from the arguments, then by asking at the terminal.
struct Terminal {
    password: Option<Secret>,
    new_password: Option<Secret>,
    totp_secret: Option<String>,
    code: Option<String>,
    attributes: BTreeMap<String, String>,
    issuer: String,
    passkeys: Option<passkey::PasskeyFile>,
}

/// One step, on stderr.
fn step(message: impl fmt::Display) {
    eprintln!("signin: {message}");
}

/// After a refused answer the service lets the user correct, says so before asking
/// again (the same challenge, in the same session); `false` on a first ask.
fn refused(what: &str, rejection: Option<&ServiceError>) -> bool {
    let Some(error) = rejection else {
        return false;
    };
    let why = error.message().unwrap_or(error.code());
    step(format_args!("{what} refused ({why}), try again"));
    true
}

/// Says where a code went (`sent` then the destination, or `nowhere_said`), unless the
/// previous code was just refused, which [`refused`] reports instead.
fn code_sent(rejection: Option<&ServiceError>, sent: &str, to: Option<&str>, nowhere_said: &str) {
    if !refused("code", rejection) {
        step(format_args!("{sent} {}", to.unwrap_or(nowhere_said)));
    }
}

/// Asks for one line (standard input; the prompt on stderr).
fn ask(prompt: &str, what: &'static str) -> Result<String, Cancelled> {
    eprint!("{prompt}: ");
    let _ = io::stderr().flush();
    let mut line = String::new();
    match io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => {
            // Piped input is not echoed: end the prompt's line before the error.
            eprintln!();
            Err(Cancelled::InputEnded(what))
        }
        Ok(_) => Ok(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

/// Asks for a secret: hidden at a terminal, one line of standard input otherwise.
fn ask_hidden(prompt: &str, what: &'static str) -> Result<Secret, Cancelled> {
    if io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{prompt}: "))
            .map(Secret::new)
            .map_err(|_| Cancelled::InputEnded(what))
    } else {
        ask(prompt, what).map(Secret::new)
    }
}

/// Asks to pick one of `options` by number or name.
fn choose<T: fmt::Display + Clone>(prompt: &str, options: &[T]) -> Result<T, Cancelled> {
    match options {
        [] => Err(Cancelled::Refused(format!("{prompt}: nothing offered"))),
        [only] => Ok(only.clone()),
        _ => {
            for (i, option) in options.iter().enumerate() {
                eprintln!("  {}. {option}", i + 1);
            }
            let answer = ask(prompt, "choice")?;
            let picked = answer
                .parse::<usize>()
                .ok()
                .and_then(|n| options.get(n.wrapping_sub(1)))
                .or_else(|| options.iter().find(|o| o.to_string() == answer));
            picked
                .cloned()
                .ok_or_else(|| Cancelled::Refused(format!("`{answer}` is not one of the choices")))
        }
    }
}

impl Terminal {
    /// `--code` once, then asking.
    fn code(&mut self, prompt: &str) -> Result<String, Cancelled> {
        match self.code.take() {
            Some(code) => Ok(code),
            None => ask(prompt, "code"),
        }
    }

    /// `--new-password` once, then asking twice until both match.
    fn new_password(&mut self) -> Result<Secret, Cancelled> {
        if let Some(p) = self.new_password.take() {
            return Ok(p);
        }
        loop {
            let first = ask_hidden("new password", "new password")?;
            let again = ask_hidden("new password again", "new password")?;
            if first.expose() == again.expose() {
                return Ok(first);
            }
            eprintln!("the two passwords differ; again");
        }
    }

    fn password(&mut self) -> Result<Secret, Cancelled> {
        if let Some(p) = &self.password {
            return Ok(p.clone());
        }
        let p = ask_hidden("password", "password")?;
        self.password = Some(p.clone());
        Ok(p)
    }

    /// The code of the authenticator app: computed from `--totp-secret`, or asked.
    fn totp_code(&mut self) -> Result<String, Cancelled> {
        match &self.totp_secret {
            Some(secret) => totp_now(secret),
            None => self.code("authenticator app code"),
        }
    }
}

fn totp_now(secret: &str) -> Result<String, Cancelled> {
    let refused = |e: String| Cancelled::Refused(format!("--totp-secret: {e}"));
    let key = totp_rs::Secret::Encoded(secret.trim().to_uppercase())
        .to_bytes()
        .map_err(|e| refused(format!("{e:?}")))?;
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key)
        .generate_current()
        .map_err(|e| refused(e.to_string()))
}

impl Handler for Terminal {
    type Error = Cancelled;
}

impl Handle<NewPasswordRequired> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<NewPasswordRequired>,
    ) -> Result<NewPassword, Cancelled> {
        if !refused("new password", pending.rejection()) {
            step("NEW_PASSWORD_REQUIRED: the password is temporary; choose a new one");
        }
        let password = self.new_password()?;
        let mut answer = NewPassword::new(password.clone());
        for attribute in pending.challenge().required_attributes() {
            let value = match self.attributes.get(attribute) {
                Some(v) => v.clone(),
                None => ask(attribute, "required attribute")?,
            };
            answer = answer.attribute(attribute, value);
        }
        // The new password is the password from now on (SRP after a new password).
        self.password = Some(password);
        Ok(answer)
    }
}

impl Handle<SmsMfa> for Terminal {
    async fn answer(&mut self, pending: &Pending<SmsMfa>) -> Result<SmsMfaCode, Cancelled> {
        let to = pending.challenge().destination.as_deref();
        code_sent(
            pending.rejection(),
            "SMS_MFA: a code was texted to",
            to,
            "your phone",
        );
        Ok(SmsMfaCode::new(self.code("SMS code")?))
    }
}

impl Handle<SoftwareTokenMfa> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<SoftwareTokenMfa>,
    ) -> Result<SoftwareTokenMfaCode, Cancelled> {
        if !refused("code", pending.rejection()) {
            step("SOFTWARE_TOKEN_MFA: authenticator app code");
        }
        Ok(SoftwareTokenMfaCode::new(self.totp_code()?))
    }
}

impl Handle<EmailOtp> for Terminal {
    async fn answer(&mut self, pending: &Pending<EmailOtp>) -> Result<EmailOtpCode, Cancelled> {
        let to = pending.challenge().destination.as_deref();
        code_sent(
            pending.rejection(),
            "EMAIL_OTP: a code was e-mailed to",
            to,
            "your address",
        );
        Ok(EmailOtpCode::new(self.code("e-mail code")?))
    }
}

impl Handle<SmsOtp> for Terminal {
    async fn answer(&mut self, pending: &Pending<SmsOtp>) -> Result<SmsOtpCode, Cancelled> {
        let to = pending.challenge().destination.as_deref();
        code_sent(
            pending.rejection(),
            "SMS_OTP: a code was texted to",
            to,
            "your phone",
        );
        Ok(SmsOtpCode::new(self.code("SMS code")?))
    }
}

impl Handle<SelectMfaType> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<SelectMfaType>,
    ) -> Result<MfaSelection, Cancelled> {
        let offered = pending.challenge().offered();
        step(format_args!(
            "SELECT_MFA_TYPE: second factor, one of {}",
            list(offered)
        ));
        let factor = match offered.iter().find(|f| **f == MfaType::SoftwareToken) {
            Some(totp) if self.totp_secret.is_some() => totp.clone(),
            _ => choose("second factor", offered)?,
        };
        pending
            .challenge()
            .choose(&factor)
            .ok_or_else(|| Cancelled::Refused(format!("{factor} is not offered")))
    }
}

impl Handle<MfaSetup> for Terminal {
    async fn answer(&mut self, pending: &Pending<MfaSetup>) -> Result<MfaSetupChoice, Cancelled> {
        let offered = pending.challenge().can_set_up();
        step(format_args!(
            "MFA_SETUP: the pool requires a second factor; can set up {}",
            list(offered)
        ));
        match choose("factor to set up", offered)? {
            MfaType::SoftwareToken => Ok(MfaSetupChoice::SoftwareToken),
            MfaType::Email => {
                let address = match self.attributes.get("email") {
                    Some(a) => a.clone(),
                    None => ask("e-mail address for codes", "e-mail address")?,
                };
                pending
                    .challenge()
                    .email(address)
                    .map(MfaSetupChoice::Email)
                    .ok_or_else(|| Cancelled::Refused("e-mail is not offered".into()))
            }
            other => Err(Cancelled::Refused(format!(
                "setting up {other} is not supported here"
            ))),
        }
    }
}

impl Handle<SoftwareTokenSetup> for Terminal {
    async fn answer(&mut self, setup: &TotpSetup) -> Result<TotpVerification, Cancelled> {
        if !refused("code", setup.rejection()) {
            show_totp_setup(setup, &self.issuer);
        }
        // An explicit --totp-secret is for an existing app, not this new one.
        let code = self.code("code the app shows now")?;
        Ok(TotpVerification::new(code).friendly_device_name("signin"))
    }
}

/// The new authenticator app's secret, URI and QR code, on stderr.
fn show_totp_setup(setup: &TotpSetup, issuer: &str) {
    let uri = setup.otpauth_uri(issuer);
    step("set up an authenticator app: scan the QR code or enter the secret");
    // Its own line, so scripts can read it.
    eprintln!("secret: {}", setup.secret_code().expose());
    eprintln!("uri: {}", uri.expose());
    match qrcode::QrCode::new(uri.expose().as_bytes()) {
        Ok(qr) => eprintln!(
            "{}",
            qr.render::<qrcode::render::unicode::Dense1x2>()
                .dark_color(qrcode::render::unicode::Dense1x2::Light)
                .light_color(qrcode::render::unicode::Dense1x2::Dark)
                .quiet_zone(true)
                .build()
        ),
        Err(e) => eprintln!("(no QR code: {e})"),
    }
}

impl Handle<Password> for Terminal {
    async fn answer(&mut self, _: &Pending<Password>) -> Result<PasswordAnswer, Cancelled> {
        step("PASSWORD");
        Ok(PasswordAnswer::new(self.password()?))
    }
}

impl Handle<PasswordSrp> for Terminal {
    async fn answer(&mut self, _: &Pending<PasswordSrp>) -> Result<PasswordAnswer, Cancelled> {
        step("PASSWORD_SRP: proving the password with SRP");
        Ok(PasswordAnswer::new(self.password()?))
    }
}

impl Handle<SelectChallenge> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<SelectChallenge>,
    ) -> Result<FirstFactorAnswer, Cancelled> {
        let offered = pending.challenge().available();
        step(format_args!(
            "SELECT_CHALLENGE: sign in with one of {}",
            list(offered)
        ));
        let factor = match offered.iter().find(|f| **f == FirstFactor::PasswordSrp) {
            Some(srp) if self.password.is_some() => srp.clone(),
            _ => choose("first factor", offered)?,
        };
        let challenge = pending.challenge();
        let choice = match factor {
            FirstFactor::PasswordSrp => {
                return Ok(FirstFactorAnswer::PasswordSrp(self.password()?));
            }
            FirstFactor::Password => challenge.password(self.password()?),
            FirstFactor::EmailOtp => challenge.email_otp(),
            FirstFactor::SmsOtp => challenge.sms_otp(),
            FirstFactor::WebAuthn if self.passkeys.is_some() => challenge.web_authn(),
            FirstFactor::WebAuthn => {
                return Err(Cancelled::Refused(
                    "passkeys need a browser or --passkey-file; choose another factor".into(),
                ));
            }
            FirstFactor::Other(name) => {
                return Err(Cancelled::Refused(format!("{name} is not supported here")));
            }
        };
        choice
            .map(Into::into)
            .ok_or_else(|| Cancelled::Refused(format!("{factor} is not offered")))
    }
}

impl Handle<CustomChallenge> for Terminal {
    async fn answer(
        &mut self,
        pending: &Pending<CustomChallenge>,
    ) -> Result<CustomAnswer, Cancelled> {
        step("CUSTOM_CHALLENGE from the pool's triggers:");
        for (key, value) in &pending.challenge().parameters {
            eprintln!("  {key}: {value}");
        }
        Ok(CustomAnswer::new(self.code("answer")?))
    }
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tokens as Cognito's `AuthenticationResult` names them.
fn tokens_json(tokens: &Tokens) -> serde_json::Value {
    serde_json::json!({
        "AccessToken": tokens.access_token().expose(),
        "IdToken": tokens.id_token().map(Secret::expose),
        "RefreshToken": tokens.refresh_token().map(Secret::expose),
        "ExpiresIn": tokens.expires_in().map(|d| d.as_secs()),
        "TokenType": tokens.token_type(),
    })
}

/// The client the arguments describe; a bad pool id or endpoint is a bad argument.
fn client(args: &Args) -> Result<Client, BuildError> {
    let mut builder = Client::builder(&args.client_id).user_pool_id(&args.user_pool_id);
    if let Some(secret) = &args.client_secret {
        builder = builder.client_secret(secret.as_str());
    }
    if let Some(region) = &args.region {
        builder = builder.region(region);
    }
    if let Some(endpoint) = &args.endpoint {
        builder = builder.endpoint(endpoint);
    }
    builder.build()
}

/// What the arguments give for the prompts.
fn terminal(args: &Args) -> Terminal {
    Terminal {
        password: args.password.clone().map(Secret::new),
        new_password: args.new_password.clone().map(Secret::new),
        totp_secret: args.totp_secret.clone(),
        code: args.code.clone(),
        attributes: args.attributes.iter().cloned().collect(),
        issuer: args.issuer.clone(),
        passkeys: args.passkey_file.clone().map(|path| passkey::PasskeyFile {
            path,
            origin: args.passkey_origin.clone(),
        }),
    }
}

async fn sign_in(
    client: &Client,
    terminal: &mut Terminal,
    args: &Args,
) -> Result<Tokens, SignInError<Cancelled>> {
    let user = args.username.clone();
    match args.flow {
        FlowArg::Srp => {
            let password = terminal.password().map_err(SignInError::Handler)?;
            step(format_args!("USER_SRP_AUTH as {user}"));
            client
                .sign_in(UserSrpAuth::new(user, password), terminal)
                .await
        }
        FlowArg::Password => {
            let password = terminal.password().map_err(SignInError::Handler)?;
            step(format_args!("USER_PASSWORD_AUTH as {user}"));
            client
                .sign_in(UserPasswordAuth::new(user, password), terminal)
                .await
        }
        FlowArg::Custom => {
            let flow = if let Some(password) = terminal.password.clone() {
                step(format_args!("CUSTOM_AUTH as {user}, SRP first"));
                CustomAuth::<AfterCustomChallenge>::with_srp(user, password)
            } else {
                step(format_args!("CUSTOM_AUTH as {user}"));
                CustomAuth::new(user)
            };
            client.sign_in(flow, terminal).await
        }
        FlowArg::UserAuth => {
            step(format_args!("USER_AUTH as {user}"));
            client.sign_in(UserAuth::new(user), terminal).await
        }
        FlowArg::Passkey => {
            step(format_args!("USER_AUTH with a passkey as {user}"));
            let flow = UserAuth::new(user).prefer(FirstFactor::WebAuthn);
            client.sign_in(flow, terminal).await
        }
    }
}

/// With `-v`, a subscriber printing the library's spans (only this crate's: not the HTTP
/// stack's) to stderr as each one closes, with its fields.
fn show_spans(verbose: u8) {
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let level = match verbose {
        0 => return,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    let spans = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .compact();
    let only_ours =
        tracing_subscriber::filter::Targets::new().with_target("cognito_typestate", level);
    tracing_subscriber::registry()
        .with(spans)
        .with(only_ours)
        .init();
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    show_spans(args.verbose);
    let client = match client(&args) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("signin: error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut terminal = terminal(&args);
    let done = match &args.command {
        None => sign_in(&client, &mut terminal, &args).await.map(Some),
        Some(command) => account::run(command, &client, &mut terminal, &args).await,
    };
    match done {
        Ok(tokens) => {
            if let Some(tokens) = tokens {
                let expires = tokens
                    .expires_in()
                    .map_or_else(String::new, |d| format!(", valid {} s", d.as_secs()));
                step(format_args!("signed in as {}{expires}", tokens.username()));
                if args.json {
                    println!("{}", tokens_json(&tokens));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let line = e.to_string().replace(['\r', '\n'], " ");
            eprintln!("signin: error: {line}");
            match e {
                SignInError::Handler(_) => ExitCode::from(3),
                SignInError::Cognito(_) => ExitCode::from(1),
            }
        }
    }
}
