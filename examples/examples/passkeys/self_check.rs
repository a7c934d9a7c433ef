//! The self-check: the page's steps played over HTTP with a software authenticator
//! for the page's origin, checking every answer, and that no answer carries a token.

use std::collections::HashMap;

use axum::http::{StatusCode, header};
use cognito_typestate::webauthn::{
    Authenticator as _, CredentialCreationOptions, CredentialRequestOptions, SoftwareAuthenticator,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::{App, Failed, PASSWORD, SESSION, USERNAME, View};

/// The browser, played over HTTP: a cookie jar, and a check that no answer carries a
/// token the server holds.
struct Browser {
    http: reqwest::Client,
    site: String,
    cookies: HashMap<String, String>,
    app: App,
}

impl Browser {
    async fn get(&mut self, path: &str) -> Result<(StatusCode, String), Failed> {
        let request = self.http.get(format!("{}{path}", self.site));
        self.send(request).await
    }

    async fn post(
        &mut self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<(StatusCode, Value), Failed> {
        let request = self.http.post(format!("{}{path}", self.site)).json(body);
        let (status, text) = self.send(request).await?;
        let value =
            serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON ({e}): {text}"))?;
        println!("  POST {path} -> {status}");
        Ok((status, value))
    }

    async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
    ) -> Result<(StatusCode, String), Failed> {
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let request = if jar.is_empty() {
            request
        } else {
            request.header(header::COOKIE, jar.join("; "))
        };
        let response = request.send().await?;
        for set in response.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str()?;
            let (name, value) = set
                .split(';')
                .next()
                .and_then(|pair| pair.split_once('='))
                .ok_or("a malformed Set-Cookie")?;
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let text = response.text().await?;
        let store = self.app.store.lock().unwrap();
        for session in store.sessions.values() {
            let tokens = &session.tokens;
            let secrets = [
                Some(tokens.access_token()),
                tokens.id_token(),
                tokens.refresh_token(),
            ];
            if secrets
                .into_iter()
                .flatten()
                .any(|t| text.contains(t.expose()))
            {
                return Err("an answer to the browser carried a token".into());
            }
        }
        Ok((status, text))
    }
}

fn expect(status: StatusCode, body: &Value, wanted: StatusCode) -> Result<(), String> {
    if status == wanted {
        Ok(())
    } else {
        Err(format!("expected {wanted}, got {status}: {body}"))
    }
}

fn view(status: StatusCode, body: Value) -> Result<View, Failed> {
    expect(status, &body, StatusCode::OK)?;
    Ok(serde_json::from_value(body)?)
}

/// Register, sign out, sign in with the passkey, as the page does, with a software
/// authenticator for the page's origin.
pub(super) async fn self_check(app: &App, port: u16, cognito: &str) -> Result<(), Failed> {
    let site = format!("http://localhost:{port}");
    println!("web app  {site} (Cognito emulator {cognito}, passkeys for localhost)");
    let mut authenticator = SoftwareAuthenticator::new(&site)?;
    let mut browser = Browser {
        http: reqwest::Client::new(),
        site,
        cookies: HashMap::new(),
        app: app.clone(),
    };

    let (status, html) = browser.get("/").await?;
    if status != StatusCode::OK || !html.contains("navigator.credentials.create") {
        return Err(format!("GET / -> {status}: not the page").into());
    }
    println!("1 the page: GET / -> {status}, {} bytes", html.len());

    println!("2 sign in with the password");
    let (status, body) = browser
        .post(
            "/api/sign-in/password",
            &json!({ "username": USERNAME, "password": PASSWORD }),
        )
        .await?;
    let signed_in = view(status, body)?;
    println!("  {}", signed_in.headline.as_deref().unwrap_or_default());

    println!("3 register a passkey");
    register(&mut browser, &mut authenticator).await?;

    println!("4 sign out");
    let (status, body) = browser.post("/api/sign-out", &json!({})).await?;
    if view(status, body)?.signed_in || browser.cookies.contains_key(SESSION) {
        return Err("still signed in after signing out".into());
    }
    let (status, body) = browser
        .post("/api/passkeys/registration", &json!({}))
        .await?;
    expect(status, &body, StatusCode::UNAUTHORIZED)?;

    println!("5 sign in with the passkey");
    let signed_in = sign_in_with_passkey(&mut browser, &mut authenticator).await?;

    println!("6 the signed-in page");
    let (status, text) = browser.get("/api/session").await?;
    let now = view(status, serde_json::from_str(&text)?)?;
    if now.headline != signed_in.headline {
        return Err(format!("the session does not show the passkey sign-in: {now:?}").into());
    }
    println!(
        "  GET /api/session -> {status}: {}, {} passkey(s)",
        now.headline.as_deref().unwrap_or_default(),
        now.passkeys.len()
    );
    println!("passkeys: every step passed");
    Ok(())
}

/// The page's "Register a passkey": creation options, the authenticator, completion;
/// then the same completion again, refused.
async fn register(
    browser: &mut Browser,
    authenticator: &mut SoftwareAuthenticator,
) -> Result<(), Failed> {
    let (status, options) = browser
        .post("/api/passkeys/registration", &json!({}))
        .await?;
    expect(status, &options, StatusCode::OK)?;
    let options: CredentialCreationOptions = serde_json::from_value(options)?;
    println!(
        "  creation options: relying party {:?}, user {}",
        options.rp.id.as_deref().unwrap_or("?"),
        options.user.name
    );
    let created = authenticator.create(&options).await?;
    println!("  the authenticator created credential {}", created.id);
    let credential = serde_json::to_value(&created)?;
    let (status, body) = browser
        .post("/api/passkeys/registration/complete", &credential)
        .await?;
    let registered = view(status, body)?;
    if registered.passkeys.len() != 1 || registered.passkeys[0].credential_id != created.id {
        return Err(format!("the passkey is not listed: {registered:?}").into());
    }
    println!("  listed: {} passkey(s)", registered.passkeys.len());
    let (status, body) = browser
        .post("/api/passkeys/registration/complete", &credential)
        .await?;
    expect(status, &body, StatusCode::BAD_REQUEST)?;
    println!("  the same registration again: {}", body["error"]);
    Ok(())
}

/// The page's "Sign in with a passkey": request options, the authenticator's
/// assertion, the signed-in view; then the same assertion again, refused.
async fn sign_in_with_passkey(
    browser: &mut Browser,
    authenticator: &mut SoftwareAuthenticator,
) -> Result<View, Failed> {
    let (status, options) = browser
        .post("/api/sign-in/passkey", &json!({ "username": USERNAME }))
        .await?;
    expect(status, &options, StatusCode::OK)?;
    let options: CredentialRequestOptions = serde_json::from_value(options)?;
    println!(
        "  request options: {} allowed credential(s)",
        options.allow_credentials.len()
    );
    let assertion = authenticator.get(&options).await?;
    let assertion = serde_json::to_value(&assertion)?;
    let (status, body) = browser
        .post("/api/sign-in/passkey/complete", &assertion)
        .await?;
    let signed_in = view(status, body)?;
    let headline = signed_in.headline.as_deref().unwrap_or_default();
    println!("  {headline}");
    if headline != format!("Signed in with a passkey as {USERNAME}") {
        return Err(format!("unexpected signed-in view: {signed_in:?}").into());
    }
    if signed_in.expires_at_ms.is_none() || signed_in.passkeys.len() != 1 {
        return Err(format!("no expiry or no passkey listed: {signed_in:?}").into());
    }
    let (status, body) = browser
        .post("/api/sign-in/passkey/complete", &assertion)
        .await?;
    expect(status, &body, StatusCode::BAD_REQUEST)?;
    println!("  the same assertion again: {}", body["error"]);
    Ok(signed_in)
}
