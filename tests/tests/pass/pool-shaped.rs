// Outcomes shaped like the pool: a flow reads its answers as an application enum that
// lists only what the pool produces, and a handler set needs only that enum's reach.
use cognito_typestate::challenges::{SoftwareTokenMfa, SoftwareTokenMfaCode};
use cognito_typestate::flows::{UserAuthSrp, UserPasswordAuth, UserSrpAuth};
use cognito_typestate::handler::{Handle, Handler, SignInError};
use cognito_typestate::{Client, Error, Outcome, Pending, Tokens};

/// A pool without MFA and without temporary passwords.
#[derive(Debug, Outcome)]
enum NoMfa {
    Authenticated(Tokens),
}

/// A pool where every user has an authenticator app.
#[derive(Debug, Outcome)]
enum TotpPool {
    Authenticated(Tokens),
    Totp(Pending<SoftwareTokenMfa>),
}

async fn two_variant_match(client: &Client) -> Result<Tokens, Error> {
    match client
        .initiate(UserSrpAuth::new("alice", "pw").outcome::<TotpPool>())
        .await?
    {
        TotpPool::Authenticated(tokens) => Ok(tokens),
        TotpPool::Totp(pending) => {
            match pending.respond(SoftwareTokenMfaCode::new("123456")).await? {
                cognito_typestate::challenges::AfterMfa::Authenticated(tokens) => Ok(tokens),
                other @ cognito_typestate::challenges::AfterMfa::DeviceSrpAuth(_) => {
                    panic!("{other:?}")
                }
            }
        }
    }
}

async fn one_variant(client: &Client) -> Result<Tokens, Error> {
    let NoMfa::Authenticated(tokens) = client
        .initiate(UserPasswordAuth::new("alice", "pw").outcome::<NoMfa>())
        .await?;
    Ok(tokens)
}

/// Answers only authenticator codes: enough for `TotpPool`.
struct Authenticator;

impl Handler for Authenticator {
    type Error = std::convert::Infallible;
}

impl Handle<SoftwareTokenMfa> for Authenticator {
    async fn answer(
        &mut self,
        _: &Pending<SoftwareTokenMfa>,
    ) -> Result<SoftwareTokenMfaCode, Self::Error> {
        Ok(SoftwareTokenMfaCode::new("123456"))
    }
}

async fn driven(client: &Client) -> Result<Tokens, SignInError<std::convert::Infallible>> {
    let flow = UserAuthSrp::new("alice", "pw").outcome::<TotpPool>();
    client.sign_in(flow, &mut Authenticator).await
}

fn main() {
    let _ = (two_variant_match, one_variant, driven);
}
