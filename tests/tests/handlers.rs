//! Handler-driven sign-in (`cognito_typestate::handler`) against the emulator: one
//! handler set drives every built-in challenge and an application-defined one, across
//! flows; handler failures and service errors come back typed; a stored pending
//! challenge resumes under the driver.

use cognito_typestate::challenges::{
    AfterCustomChallenge, AfterPassword, CustomAnswer, CustomChallenge, EmailOtp, EmailOtpCode,
    FirstFactor, MfaSelection, MfaSetup, MfaType, NewPassword, NewPasswordRequired, Password,
    PasswordAnswer, PasswordSrp, SelectChallenge, SelectMfaType, SmsMfa, SmsMfaCode, SmsOtp,
    SmsOtpCode, SoftwareTokenMfa, SoftwareTokenMfaCode, TotpSetup, WebAuthn, WebAuthnCredential,
};
use cognito_typestate::flows::{
    CustomAuth as CustomAuthFlow, UserAuth, UserPasswordAuth, UserSrpAuth,
};
use cognito_typestate::handler::{
    self, FirstFactorAnswer, Handle, Handler, MfaSetupChoice, SignInError, SoftwareTokenSetup,
    TotpVerification,
};
use cognito_typestate::webauthn::{Authenticator as _, SoftwareAuthenticator};
use cognito_typestate::{
    Challenge, ChallengeResponse, Client, ConfigError, Detached, Error, Outcome, Pending,
    ServiceError, ServiceErrorKind, Tokens,
};
use cognito_typestate_emulator::{
    AppClientConfig, CreatedChallenge, CustomAuth, Decision, DeviceTracking, Emulator, Mfa,
    MfaMethod, PoolConfig, PoolHandle, UserConfig, WebAuthnConfig,
};

const PASSWORD: &str = "Corr3ct-horse!";
const NEW_PASSWORD: &str = "N3w-and-l0nger!";
/// Not a code any of the emulator's challenges expects (its codes are digits).
const WRONG_CODE: &str = "wrong!";

/// A question the application's triggers ask, read into typed fields.
#[derive(Debug, Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = QuizAnswer, next = AfterQuiz)]
struct Quiz {
    #[param("question")]
    question: String,
}

#[derive(ChallengeResponse)]
struct QuizAnswer {
    #[param("ANSWER")]
    answer: String,
}

#[derive(Debug, Outcome)]
enum AfterQuiz {
    Authenticated(Tokens),
    Quiz(Pending<Quiz>),
}

/// Why the scripted user gave up.
#[derive(Debug, PartialEq)]
struct Cancelled(&'static str);

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cancelled at {}", self.0)
    }
}

/// A user who answers from the emulator's outbox and a TOTP secret, and writes down
/// every prompt.
struct Scripted {
    pool: PoolHandle,
    user: &'static str,
    totp_secret: Option<String>,
    mfa: MfaType,
    first_factor: FirstFactor,
    /// Answer the first quiz question wrongly, to be asked again.
    quiz_mistake: bool,
    /// Give up at this prompt.
    cancel_at: Option<&'static str>,
    asked: Vec<String>,
    /// Prompts to answer wrongly once (a code, a new password), before the right answer.
    wrong_once: Vec<&'static str>,
    /// Every prompt asked again after a refusal: the prompt, the attempt and why.
    retried: Vec<(&'static str, u32, ServiceErrorKind)>,
    /// Signs `WEB_AUTHN` challenges, when the user has a passkey.
    authenticator: Option<SoftwareAuthenticator>,
}

impl Scripted {
    fn new(pool: &PoolHandle, user: &'static str) -> Self {
        Self {
            pool: pool.clone(),
            user,
            totp_secret: None,
            mfa: MfaType::SoftwareToken,
            first_factor: FirstFactor::PasswordSrp,
            quiz_mistake: false,
            cancel_at: None,
            asked: Vec::new(),
            wrong_once: Vec::new(),
            retried: Vec::new(),
            authenticator: None,
        }
    }

    /// `right`, or `wrong` the first time a prompt in `wrong_once` is asked; notes a
    /// prompt asked again after a refusal.
    fn answer_with(
        &mut self,
        prompt: &'static str,
        (attempt, rejection): (u32, Option<&ServiceError>),
        right: String,
        wrong: &str,
    ) -> Result<String, Cancelled> {
        self.note(prompt)?;
        if let Some(error) = rejection {
            self.retried.push((prompt, attempt, error.kind()));
        }
        if let Some(i) = self.wrong_once.iter().position(|p| *p == prompt) {
            self.wrong_once.remove(i);
            return Ok(wrong.to_owned());
        }
        Ok(right)
    }

    fn note(&mut self, prompt: &'static str) -> Result<(), Cancelled> {
        self.asked.push(prompt.to_owned());
        match self.cancel_at {
            Some(at) if at == prompt => Err(Cancelled(prompt)),
            _ => Ok(()),
        }
    }

    fn outbox_code(&self) -> String {
        self.pool
            .last_code(self.user)
            .expect("a code in the outbox")
    }

    fn totp(&self) -> String {
        totp_now(self.totp_secret.as_deref().expect("a TOTP secret"))
    }
}

fn totp_now(secret: &str) -> String {
    let key = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, key)
        .generate_current()
        .unwrap()
}

impl Handler for Scripted {
    type Error = Cancelled;
}

impl Handle<NewPasswordRequired> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<NewPasswordRequired>,
    ) -> Result<NewPassword, Cancelled> {
        let seen = (pending.attempt(), pending.rejection());
        let password =
            self.answer_with("NEW_PASSWORD_REQUIRED", seen, NEW_PASSWORD.into(), "weak")?;
        let mut answer = NewPassword::new(password);
        for attribute in pending.challenge().required_attributes() {
            answer = answer.attribute(attribute, "Scripted");
        }
        Ok(answer)
    }
}

impl Handle<SmsMfa> for Scripted {
    async fn answer(&mut self, pending: &Pending<SmsMfa>) -> Result<SmsMfaCode, Cancelled> {
        let seen = (pending.attempt(), pending.rejection());
        let code = self.answer_with("SMS_MFA", seen, self.outbox_code(), WRONG_CODE)?;
        Ok(SmsMfaCode::new(code))
    }
}

impl Handle<SoftwareTokenMfa> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<SoftwareTokenMfa>,
    ) -> Result<SoftwareTokenMfaCode, Cancelled> {
        let seen = (pending.attempt(), pending.rejection());
        let code = self.answer_with("SOFTWARE_TOKEN_MFA", seen, self.totp(), WRONG_CODE)?;
        Ok(SoftwareTokenMfaCode::new(code))
    }
}

impl Handle<EmailOtp> for Scripted {
    async fn answer(&mut self, pending: &Pending<EmailOtp>) -> Result<EmailOtpCode, Cancelled> {
        let seen = (pending.attempt(), pending.rejection());
        let code = self.answer_with("EMAIL_OTP", seen, self.outbox_code(), WRONG_CODE)?;
        Ok(EmailOtpCode::new(code))
    }
}

impl Handle<SmsOtp> for Scripted {
    async fn answer(&mut self, pending: &Pending<SmsOtp>) -> Result<SmsOtpCode, Cancelled> {
        let seen = (pending.attempt(), pending.rejection());
        let code = self.answer_with("SMS_OTP", seen, self.outbox_code(), WRONG_CODE)?;
        Ok(SmsOtpCode::new(code))
    }
}

impl Handle<SelectMfaType> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<SelectMfaType>,
    ) -> Result<MfaSelection, Cancelled> {
        self.note("SELECT_MFA_TYPE")?;
        pending
            .challenge()
            .choose(&self.mfa)
            .ok_or(Cancelled("the chosen factor is not offered"))
    }
}

impl Handle<MfaSetup> for Scripted {
    async fn answer(&mut self, _: &Pending<MfaSetup>) -> Result<MfaSetupChoice, Cancelled> {
        self.note("MFA_SETUP")?;
        Ok(MfaSetupChoice::SoftwareToken)
    }
}

impl Handle<SoftwareTokenSetup> for Scripted {
    async fn answer(&mut self, setup: &TotpSetup) -> Result<TotpVerification, Cancelled> {
        assert!(
            setup
                .otpauth_uri("Tests")
                .expose()
                .starts_with("otpauth://totp/")
        );
        self.totp_secret = Some(setup.secret_code().expose().to_owned());
        let seen = (setup.attempt(), setup.rejection());
        let code = self.answer_with("TOTP_SETUP", seen, self.totp(), WRONG_CODE)?;
        Ok(TotpVerification::new(code).friendly_device_name("test phone"))
    }
}

impl Handle<Password> for Scripted {
    async fn answer(&mut self, _: &Pending<Password>) -> Result<PasswordAnswer, Cancelled> {
        self.note("PASSWORD")?;
        Ok(PasswordAnswer::new(PASSWORD))
    }
}

impl Handle<PasswordSrp> for Scripted {
    async fn answer(&mut self, _: &Pending<PasswordSrp>) -> Result<PasswordAnswer, Cancelled> {
        self.note("PASSWORD_SRP")?;
        Ok(PasswordAnswer::new(PASSWORD))
    }
}

impl Handle<SelectChallenge> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<SelectChallenge>,
    ) -> Result<FirstFactorAnswer, Cancelled> {
        self.note("SELECT_CHALLENGE")?;
        let offered = pending.challenge();
        let choice = match self.first_factor {
            FirstFactor::PasswordSrp => return Ok(FirstFactorAnswer::PasswordSrp(PASSWORD.into())),
            FirstFactor::Password => offered.password(PASSWORD),
            FirstFactor::EmailOtp => offered.email_otp(),
            FirstFactor::SmsOtp => offered.sms_otp(),
            FirstFactor::WebAuthn => offered.web_authn(),
            FirstFactor::Other(_) => None,
        };
        choice
            .map(Into::into)
            .ok_or(Cancelled("the chosen factor is not offered"))
    }
}

impl Handle<WebAuthn> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<WebAuthn>,
    ) -> Result<WebAuthnCredential, Cancelled> {
        self.note("WEB_AUTHN")?;
        let authenticator = self
            .authenticator
            .as_mut()
            .ok_or(Cancelled("no passkey here"))?;
        pending
            .challenge()
            .assert_with(authenticator)
            .await
            .map_err(|_| Cancelled("the authenticator refused"))
    }
}

impl Handle<CustomChallenge> for Scripted {
    async fn answer(
        &mut self,
        pending: &Pending<CustomChallenge>,
    ) -> Result<CustomAnswer, Cancelled> {
        self.note("CUSTOM_CHALLENGE")?;
        let question = pending
            .challenge()
            .parameters
            .get("question")
            .cloned()
            .unwrap_or_default();
        Ok(CustomAnswer::new(solve(&question).to_string()))
    }
}

impl Handle<Quiz> for Scripted {
    async fn answer(&mut self, pending: &Pending<Quiz>) -> Result<QuizAnswer, Cancelled> {
        self.note("QUIZ")?;
        let mut product = solve(&pending.challenge().question);
        if std::mem::take(&mut self.quiz_mistake) {
            product += 1;
        }
        Ok(QuizAnswer {
            answer: product.to_string(),
        })
    }
}

/// `"6 × 7?"` → 42.
fn solve(question: &str) -> u32 {
    question
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<u32>().ok())
        .product()
}

async fn emulator(pool: PoolConfig) -> (Emulator, PoolHandle, Client) {
    let emulator = Emulator::start().await.unwrap();
    let pool = emulator.create_pool(pool).unwrap();
    let app = pool.create_client(AppClientConfig::new("web")).unwrap();
    let client = Client::builder(&app.id)
        .endpoint(emulator.endpoint())
        .user_pool_id(pool.id())
        .build()
        .unwrap();
    (emulator, pool, client)
}

/// A pool where `sam` signs in with an SMS code.
async fn sms_user_sam() -> (Emulator, PoolHandle, Client) {
    let (emulator, pool, client) = emulator(PoolConfig {
        mfa: Mfa::Optional,
        ..PoolConfig::default()
    })
    .await;
    pool.create_user(
        UserConfig::new("sam")
            .password(PASSWORD)
            .attribute("phone_number", "+15555550123")
            .mfa(MfaMethod::Sms),
    )
    .unwrap();
    (emulator, pool, client)
}

#[tokio::test]
async fn one_handler_set_drives_new_password_totp_set_up_and_totp_across_flows() {
    let (_emulator, pool, client) = emulator(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::SoftwareToken],
        required_attributes: vec!["given_name".into()],
        ..PoolConfig::default()
    })
    .await;
    pool.create_user(UserConfig::new("alice").temporary_password("Temp0rary-pw!"))
        .unwrap();
    let mut user = Scripted::new(&pool, "alice");
    let tokens = client
        .sign_in(UserSrpAuth::new("alice", "Temp0rary-pw!"), &mut user)
        .await
        .unwrap();
    assert_eq!(tokens.username(), "alice");
    assert_eq!(
        user.asked,
        ["NEW_PASSWORD_REQUIRED", "MFA_SETUP", "TOTP_SETUP"]
    );
    let stored = pool.user("alice").unwrap();
    assert_eq!(stored.attributes["given_name"], "Scripted");

    // The same handler set, another flow: the authenticator set up above is asked.
    user.asked.clear();
    client
        .sign_in(UserPasswordAuth::new("alice", NEW_PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SOFTWARE_TOKEN_MFA"]);
}

#[tokio::test]
async fn a_refused_answer_is_asked_again_and_the_handler_sees_why() {
    let (_emulator, pool, client) = emulator(PoolConfig {
        mfa: Mfa::On,
        mfa_methods: vec![MfaMethod::SoftwareToken],
        ..PoolConfig::default()
    })
    .await;
    pool.create_user(UserConfig::new("nat").temporary_password(PASSWORD))
        .unwrap();
    let mut user = Scripted::new(&pool, "nat");
    user.wrong_once = vec!["NEW_PASSWORD_REQUIRED", "TOTP_SETUP"];
    client
        .sign_in(UserSrpAuth::new("nat", PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(
        user.asked,
        [
            "NEW_PASSWORD_REQUIRED",
            "NEW_PASSWORD_REQUIRED",
            "MFA_SETUP",
            "TOTP_SETUP",
            "TOTP_SETUP"
        ]
    );
    assert_eq!(
        user.retried,
        [
            (
                "NEW_PASSWORD_REQUIRED",
                2,
                ServiceErrorKind::InvalidPassword
            ),
            ("TOTP_SETUP", 2, ServiceErrorKind::EnableSoftwareTokenMfa),
        ]
    );

    // Each code challenge: a mistyped code, then the right one, in the same session.
    user.asked.clear();
    user.retried.clear();
    user.wrong_once = vec!["SOFTWARE_TOKEN_MFA"];
    client
        .sign_in(UserSrpAuth::new("nat", NEW_PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        user.retried,
        [("SOFTWARE_TOKEN_MFA", 2, ServiceErrorKind::CodeMismatch)]
    );
}

/// A pool with optional MFA and `eve`, who has e-mail and SMS MFA.
async fn email_and_sms_user_eve() -> (Emulator, PoolHandle, Client) {
    let (emulator, pool, client) = emulator(PoolConfig {
        mfa: Mfa::Optional,
        ..PoolConfig::default()
    })
    .await;
    pool.create_user(
        UserConfig::new("eve")
            .password(PASSWORD)
            .attribute("email", "eve@example.com")
            .attribute("phone_number", "+15555550199")
            .mfa(MfaMethod::Email)
            .mfa(MfaMethod::Sms),
    )
    .unwrap();
    (emulator, pool, client)
}

#[tokio::test]
async fn mistyped_sms_email_and_texted_first_factor_codes_are_asked_again() {
    let (_emulator, pool, client) = email_and_sms_user_eve().await;
    let mut user = Scripted::new(&pool, "eve");
    for (mfa, prompt) in [(MfaType::Sms, "SMS_MFA"), (MfaType::Email, "EMAIL_OTP")] {
        user.mfa = mfa;
        user.wrong_once = vec![prompt];
        user.retried.clear();
        client
            .sign_in(UserSrpAuth::new("eve", PASSWORD), &mut user)
            .await
            .unwrap();
        assert_eq!(user.retried, [(prompt, 2, ServiceErrorKind::CodeMismatch)]);
    }
    user.first_factor = FirstFactor::SmsOtp;
    user.wrong_once = vec!["SMS_OTP"];
    user.retried.clear();
    client
        .sign_in(UserAuth::new("eve"), &mut user)
        .await
        .unwrap();
    assert_eq!(
        user.retried,
        [("SMS_OTP", 2, ServiceErrorKind::CodeMismatch)]
    );
}

#[tokio::test]
async fn second_factor_choice_and_outbox_codes() {
    let (_emulator, pool, client) = email_and_sms_user_eve().await;
    let mut user = Scripted::new(&pool, "eve");
    user.mfa = MfaType::Email;
    client
        .sign_in(UserSrpAuth::new("eve", PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SELECT_MFA_TYPE", "EMAIL_OTP"]);
    user.asked.clear();
    user.mfa = MfaType::Sms;
    client
        .sign_in(UserSrpAuth::new("eve", PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SELECT_MFA_TYPE", "SMS_MFA"]);
}

#[tokio::test]
async fn user_auth_first_factors_including_srp_chosen_by_the_handler() {
    let (_emulator, pool, client) = emulator(PoolConfig::default()).await;
    pool.create_user(
        UserConfig::new("pat")
            .password(PASSWORD)
            .attribute("email", "pat@example.com"),
    )
    .unwrap();
    let mut user = Scripted::new(&pool, "pat");
    for (factor, asked) in [
        (FirstFactor::PasswordSrp, vec!["SELECT_CHALLENGE"]),
        (FirstFactor::Password, vec!["SELECT_CHALLENGE"]),
        (FirstFactor::EmailOtp, vec!["SELECT_CHALLENGE", "EMAIL_OTP"]),
    ] {
        user.first_factor = factor.clone();
        user.asked.clear();
        let tokens = client
            .sign_in(UserAuth::new("pat"), &mut user)
            .await
            .unwrap_or_else(|e| panic!("{factor}: {e}"));
        assert_eq!(tokens.username(), "pat");
        assert_eq!(user.asked, asked, "{factor}");
    }
}

#[tokio::test]
async fn a_passkey_handler_signs_in_preferred_and_chosen() {
    let mut pool = PoolConfig {
        web_authn: Some(WebAuthnConfig::new("localhost")),
        ..PoolConfig::default()
    };
    pool.first_factors
        .push(cognito_typestate_emulator::FirstFactor::WebAuthn);
    let (_emulator, pool, client) = emulator(pool).await;
    pool.create_user(UserConfig::new("pat").password(PASSWORD))
        .unwrap();
    let AfterPassword::Authenticated(tokens) = client
        .initiate(UserPasswordAuth::new("pat", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected tokens");
    };
    let mut authenticator = SoftwareAuthenticator::new("http://localhost:8080").unwrap();
    let registration = client.start_passkey_registration(&tokens).await.unwrap();
    let credential = authenticator.create(registration.options()).await.unwrap();
    registration.complete(credential).await.unwrap();

    let mut user = Scripted::new(&pool, "pat");
    user.authenticator = Some(authenticator);
    user.first_factor = FirstFactor::WebAuthn;
    let preferred = UserAuth::new("pat").prefer(FirstFactor::WebAuthn);
    client.sign_in(preferred, &mut user).await.unwrap();
    assert_eq!(user.asked, ["WEB_AUTHN"]);
    user.asked.clear();
    client
        .sign_in(UserAuth::new("pat"), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SELECT_CHALLENGE", "WEB_AUTHN"]);
}

#[tokio::test]
async fn an_application_challenge_is_asked_until_the_triggers_issue_tokens() {
    let (_emulator, pool, client) = emulator(PoolConfig::default()).await;
    pool.create_user(UserConfig::new("cam").password(PASSWORD))
        .unwrap();
    pool.set_custom_auth(CustomAuth::new(
        |event| match event.session.last() {
            Some(last) if last.challenge_name == "SRP_A" => {
                Decision::Challenge("PASSWORD_VERIFIER".into())
            }
            Some(last) if last.challenge_name == "PASSWORD_VERIFIER" => {
                Decision::Challenge("CUSTOM_CHALLENGE".into())
            }
            Some(last) if last.challenge_result => Decision::IssueTokens,
            Some(_) if event.session.len() < 4 => Decision::Challenge("CUSTOM_CHALLENGE".into()),
            _ => Decision::Fail,
        },
        |event| {
            let n = event.session.len() + 4;
            CreatedChallenge::new()
                .public("question", format!("{n} × 7?"))
                .private("answer", (7 * n).to_string())
        },
        |event| event.private.get("answer").map(String::as_str) == Some(event.answer),
    ));
    let mut user = Scripted::new(&pool, "cam");
    user.quiz_mistake = true;
    client
        .sign_in(
            CustomAuthFlow::<AfterQuiz>::with_srp("cam", PASSWORD),
            &mut user,
        )
        .await
        .unwrap();
    assert_eq!(user.asked, ["QUIZ", "QUIZ"]);

    // The built-in map-shaped custom challenge works with the same handler set.
    user.asked.clear();
    client
        .sign_in(
            CustomAuthFlow::<AfterCustomChallenge>::with_srp("cam", PASSWORD),
            &mut user,
        )
        .await
        .unwrap();
    assert_eq!(user.asked, ["CUSTOM_CHALLENGE"]);
}

#[tokio::test]
async fn a_handler_that_gives_up_ends_the_sign_in_with_its_error() {
    let (_emulator, pool, client) = sms_user_sam().await;
    let mut user = Scripted::new(&pool, "sam");
    user.cancel_at = Some("SMS_MFA");
    let cancelled = client
        .sign_in(UserSrpAuth::new("sam", PASSWORD), &mut user)
        .await;
    assert!(
        matches!(cancelled, Err(SignInError::Handler(Cancelled("SMS_MFA")))),
        "{cancelled:?}"
    );

    // A service error is not a handler's: it comes back as the library's error.
    let refused = client
        .sign_in(UserSrpAuth::new("sam", "wrong"), &mut user)
        .await
        .unwrap_err();
    assert_eq!(
        refused.cognito().and_then(Error::service_kind),
        Some(ServiceErrorKind::NotAuthorized)
    );
    assert_eq!(
        refused.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
}

#[tokio::test]
async fn a_stored_pending_challenge_resumes_under_the_driver() {
    let (_emulator, pool, client) = sms_user_sam().await;
    let AfterPassword::SmsMfa(pending) = client
        .initiate(UserSrpAuth::new("sam", PASSWORD))
        .await
        .unwrap()
    else {
        panic!("expected SMS_MFA");
    };
    let stored = serde_json::to_string(&pending).unwrap();
    let resumed = serde_json::from_str::<Detached<SmsMfa>>(&stored)
        .unwrap()
        .attach(&client)
        .unwrap();
    let mut user = Scripted::new(&pool, "sam");
    let tokens = handler::drive(resumed, &mut user).await.unwrap();
    assert_eq!(tokens.username(), "sam");
    assert_eq!(user.asked, ["SMS_MFA"]);
}

#[tokio::test]
async fn a_remembered_device_is_answered_by_the_library_not_a_handler() {
    let (_emulator, pool, client) = emulator(PoolConfig {
        mfa: Mfa::Optional,
        device_tracking: DeviceTracking::Always,
        ..PoolConfig::default()
    })
    .await;
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    pool.create_user(
        UserConfig::new("dee")
            .password(PASSWORD)
            .totp_secret(secret),
    )
    .unwrap();
    let mut user = Scripted::new(&pool, "dee");
    user.totp_secret = Some(secret.to_owned());
    let tokens = client
        .sign_in(UserSrpAuth::new("dee", PASSWORD), &mut user)
        .await
        .unwrap();
    assert_eq!(user.asked, ["SOFTWARE_TOKEN_MFA"]);
    let device = client.confirm_device(&tokens, "laptop").await.unwrap();
    let credentials = device.into_credentials();

    // With the device's credentials: DEVICE_SRP_AUTH instead of MFA, and no prompt.
    user.asked.clear();
    let tokens = client
        .sign_in(
            UserSrpAuth::new("dee", PASSWORD).device(credentials.clone()),
            &mut user,
        )
        .await
        .unwrap();
    assert_eq!(tokens.device_key(), Some(credentials.device_key.as_str()));
    assert!(user.asked.is_empty(), "{:?}", user.asked);

    // With only its key the driver cannot prove the device: a typed error, no prompt.
    let refused = client
        .sign_in(
            UserSrpAuth::new("dee", PASSWORD).device_key(credentials.device_key.clone()),
            &mut user,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused.cognito(),
            Some(Error::Config(ConfigError::MissingDeviceCredentials))
        ),
        "{refused:?}"
    );
    assert!(user.asked.is_empty(), "{:?}", user.asked);
}
