//! Hostile-server fuzzing on the stable toolchain: every built-in flow, driven to the end
//! through a custom [`Transport`] that answers with generated hostile responses (random
//! status codes, truncated / non-UTF-8 / deeply nested / huge / wrong-shape JSON, random
//! challenge names and parameters, tokens and challenges together, endless challenge
//! ping-pong), plus mutated `Detached<C>` JSON resumed with `Detached::attach`.
//!
//! ```text
//! cargo run --release -p cognito-typestate-bench --bin fuzz-responses -- --cases 1000000 --seed 1
//! ```
//!
//! Each case is deterministic in `(seed, case number)`: `--start K --cases 1 --verbose`
//! replays case `K` and prints what the server sent. Every case runs under
//! `catch_unwind`, with at most [`MAX_SENDS`] calls (the transport refuses after that)
//! and a time budget; the binary prints one summary line and exits 1 if any case
//! panicked, hung or broke an invariant.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, UNIX_EPOCH};

use cognito_typestate::challenges::{
    CustomAnswer, CustomChallenge, DevicePasswordVerifier, DeviceSrpAuth, EmailOtp, EmailOtpCode,
    MfaSetup, NewPassword, NewPasswordRequired, Password, PasswordAnswer, PasswordSrp,
    PasswordVerifier, SelectChallenge, SelectMfaType, SmsMfa, SmsMfaCode, SmsOtp, SmsOtpCode,
    SoftwareTokenMfa, SoftwareTokenMfaCode, TotpSetup, WebAuthn, WebAuthnCredential,
};
use cognito_typestate::flows::{
    CustomAuth, RefreshTokenAuth, TokensFromRefreshToken, UserAuth, UserAuthSrp, UserPasswordAuth,
    UserSrpAuth,
};
use cognito_typestate::handler::{
    FirstFactorAnswer, Handle, HandledBy, Handler, MfaSetupChoice, SignInError, SoftwareTokenSetup,
    TotpVerification, drive,
};
use cognito_typestate::srp::SrpEphemeral;
use cognito_typestate::{
    BoxFuture, Challenge, Client, Detached, DeviceCredentials, Error, HttpRequest, HttpResponse,
    Pending, ProtocolError, Secret, Tokens, Transport, TransportError, TransportErrorKind,
};
use serde_json::{Value, json};

/// The transport refuses every call after this many in one case.
const MAX_SENDS: u32 = 100;

/// A case taking longer than this counts as hung.
const CASE_BUDGET: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64).

#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1/n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// A short string from a hostile alphabet: ASCII, JSON metacharacters, controls,
    /// multi-byte and astral characters.
    fn string(&mut self, max: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", "-", "_", ".", ":", "/", "+", "=", "\"", "\\", "{", "}", "[", "]",
            ",", " ", "\n", "\t", "\u{0}", "\u{7f}", "é", "ß", "\u{200b}", "€", "😀", "𝕏",
            "\u{fffd}", "%", "#", "@",
        ];
        let n = self.below(max + 1);
        (0..n).map(|_| *self.pick(PIECES)).collect()
    }

    fn hex(&mut self, max: usize) -> String {
        let n = 1 + self.below(max.max(1));
        (0..n)
            .map(|_| char::from(b"0123456789abcdefABCDEF"[self.below(22)]))
            .collect()
    }

    fn base64(&mut self, max: usize) -> String {
        use base64::Engine as _;
        let n = self.below(max + 1);
        let bytes = self.bytes(n);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

// ---------------------------------------------------------------------------------
// What the hostile server says.

const CHALLENGES: &[&str] = &[
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "NEW_PASSWORD_REQUIRED",
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "PASSWORD",
    "PASSWORD_SRP",
    "WEB_AUTHN",
    "ADMIN_NO_SRP_AUTH",
];

const ERROR_CODES: &[&str] = &[
    "NotAuthorizedException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "InvalidPasswordException",
    "PasswordHistoryPolicyViolationException",
    "InvalidParameterException",
    "TooManyRequestsException",
    "InternalErrorException",
    "ResourceNotFoundException",
    "EnableSoftwareTokenMFAException",
    "UserNotFoundException",
    "com.amazonaws.cognitoidentityprovider#CodeMismatchException",
    "CodeMismatchException:http://internal.amazon.com/coral/",
    "",
    ":",
    "#",
    "BrandNewException",
];

const PARAMETER_KEYS: &[&str] = &[
    "USERNAME",
    "USER_ID_FOR_SRP",
    "SALT",
    "SRP_B",
    "SECRET_BLOCK",
    "CODE_DELIVERY_DESTINATION",
    "CODE_DELIVERY_DELIVERY_MEDIUM",
    "MFAS_CAN_CHOOSE",
    "MFAS_CAN_SETUP",
    "userAttributes",
    "requiredAttributes",
    "CREDENTIAL_REQUEST_OPTIONS",
    "FRIENDLY_DEVICE_NAME",
    "captchaUrl",
    "question",
];

/// Precomputed honest `SRP_B` values (one modular exponentiation each).
fn honest_b() -> &'static [String] {
    static B: OnceLock<Vec<String>> = OnceLock::new();
    B.get_or_init(|| {
        (1u8..=4)
            .map(|i| cognito_typestate::srp::public_value(&[i; 32]).expect("g^b"))
            .collect()
    })
}

fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()) + inner.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

/// A value for a challenge parameter: honest-looking for its key, or hostile.
fn parameter_value(rng: &mut Rng, key: &str) -> String {
    if rng.one_in(4) {
        return match rng.below(6) {
            0 => rng.string(40),
            1 => String::new(),
            2 => nested(1 + rng.below(300), "[", "]", ""),
            3 => nested(1 + rng.below(300), "{\"a\":", "}", "1"),
            4 => "x".repeat(rng.below(20_000)),
            _ => rng.hex(900),
        };
    }
    match key {
        "SALT" => {
            let sign = if rng.one_in(2) { "-" } else { "" };
            format!("{sign}{}", rng.hex(64))
        }
        "SRP_B" => match rng.below(5) {
            0 => "0".into(),
            1 => rng.hex(1000),
            2 => cognito_typestate::srp::public_value(&[0]).unwrap_or_default(),
            _ => rng.pick(honest_b()).clone(),
        },
        "SECRET_BLOCK" => rng.base64(200),
        "MFAS_CAN_CHOOSE" | "MFAS_CAN_SETUP" => {
            let names = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "WHATEVER", ""];
            let list: Vec<&str> = (0..rng.below(4)).map(|_| *rng.pick(&names)).collect();
            serde_json::to_string(&list).unwrap_or_default()
        }
        "userAttributes" => json!({"email": rng.string(10), "n": rng.next()}).to_string(),
        "requiredAttributes" => json!([format!("userAttributes.{}", rng.string(6))]).to_string(),
        "CREDENTIAL_REQUEST_OPTIONS" => json!({"challenge": rng.base64(32)}).to_string(),
        "CODE_DELIVERY_DELIVERY_MEDIUM" => rng.pick(&["SMS", "EMAIL", "PIGEON"]).to_string(),
        _ => rng.string(24),
    }
}

fn jwt(rng: &mut Rng) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = match rng.below(4) {
        0 => json!({"cognito:username": rng.string(12), "username": rng.string(12)}).to_string(),
        1 => json!({"cognito:username": rng.next(), "username": [1, 2]}).to_string(),
        2 => nested(rng.below(200), "[", "]", ""),
        _ => String::from_utf8_lossy(&rng.bytes(20)).into_owned(),
    };
    let payload = if rng.one_in(8) {
        URL_SAFE_NO_PAD.encode(rng.bytes(30))
    } else {
        URL_SAFE_NO_PAD.encode(payload)
    };
    match rng.below(6) {
        0 => rng.string(20),
        1 => format!("e30.{payload}"),
        _ => format!("e30.{payload}.sig"),
    }
}

fn authentication_result(rng: &mut Rng) -> Value {
    let mut result = serde_json::Map::new();
    if !rng.one_in(8) {
        result.insert("AccessToken".into(), json!(jwt(rng)));
    }
    if rng.one_in(2) {
        result.insert("IdToken".into(), json!(jwt(rng)));
    }
    if rng.one_in(2) {
        result.insert("RefreshToken".into(), json!(rng.string(30)));
    }
    result.insert(
        "ExpiresIn".into(),
        match rng.below(6) {
            0 => json!(-1),
            1 => json!("3600"),
            2 => json!(u64::MAX),
            3 => json!(1.5),
            _ => json!(3600),
        },
    );
    if rng.one_in(3) {
        result.insert(
            "NewDeviceMetadata".into(),
            if rng.one_in(4) {
                json!({"DeviceKey": rng.string(10)})
            } else {
                json!({"DeviceKey": rng.string(30), "DeviceGroupKey": rng.string(12)})
            },
        );
    }
    Value::Object(result)
}

/// Tokens an honest service would send.
fn clean_tokens(rng: &mut Rng) -> Value {
    let mut result = json!({"AccessToken": jwt(rng), "IdToken": jwt(rng), "RefreshToken": rng.string(30), "ExpiresIn": 3600, "TokenType": "Bearer"});
    if rng.one_in(4) {
        result["NewDeviceMetadata"] =
            json!({"DeviceKey": rng.string(20), "DeviceGroupKey": rng.string(10)});
    }
    json!({"AuthenticationResult": result})
}

/// A challenge an honest service would send: the parameters it needs, well formed.
fn clean_challenge(rng: &mut Rng, name: &str) -> Value {
    let mut parameters = serde_json::Map::new();
    let keys: &[&str] = match name {
        "PASSWORD_VERIFIER" => &["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"],
        "DEVICE_PASSWORD_VERIFIER" => &["SALT", "SRP_B", "SECRET_BLOCK"],
        "SELECT_MFA_TYPE" => &["MFAS_CAN_CHOOSE"],
        "MFA_SETUP" => &["MFAS_CAN_SETUP"],
        "WEB_AUTHN" => &["CREDENTIAL_REQUEST_OPTIONS"],
        "NEW_PASSWORD_REQUIRED" => &["userAttributes", "requiredAttributes"],
        "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => &["CODE_DELIVERY_DESTINATION"],
        "CUSTOM_CHALLENGE" => &["question"],
        _ => &[],
    };
    for key in keys {
        let value = match *key {
            "SALT" => rng.hex(32),
            "SRP_B" => rng.pick(honest_b()).clone(),
            "SECRET_BLOCK" => rng.base64(64),
            "MFAS_CAN_CHOOSE" => "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]".into(),
            "MFAS_CAN_SETUP" => "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]".into(),
            "CREDENTIAL_REQUEST_OPTIONS" => "{\"challenge\":\"abc\"}".into(),
            "userAttributes" => "{\"email\":\"a@example.com\"}".into(),
            "requiredAttributes" => "[\"userAttributes.name\"]".into(),
            _ => rng.string(12),
        };
        parameters.insert((*key).into(), json!(value));
    }
    let mut body = json!({"ChallengeName": name, "Session": rng.string(30), "ChallengeParameters": parameters});
    if name == "SELECT_CHALLENGE" {
        body["AvailableChallenges"] = json!([
            "PASSWORD",
            "PASSWORD_SRP",
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN"
        ]);
    }
    body
}

/// A challenge answer: a known or random name, parameters for it, maybe tokens too.
fn challenge_body(rng: &mut Rng, name: Option<&str>) -> Value {
    let name = name.map_or_else(
        || {
            if rng.one_in(10) {
                rng.string(16)
            } else {
                (*rng.pick(CHALLENGES)).to_owned()
            }
        },
        str::to_owned,
    );
    let mut parameters = serde_json::Map::new();
    for _ in 0..rng.below(8) {
        let key = if rng.one_in(6) {
            rng.string(10)
        } else {
            (*rng.pick(PARAMETER_KEYS)).to_owned()
        };
        let value = parameter_value(rng, &key);
        parameters.insert(key, json!(value));
    }
    // Most of the time, the keys the challenge needs.
    if !rng.one_in(5) {
        for key in ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
            if name.ends_with("PASSWORD_VERIFIER") {
                let value = parameter_value(rng, key);
                parameters.insert(key.into(), json!(value));
            }
        }
        let key = match name.as_str() {
            "SELECT_MFA_TYPE" => Some("MFAS_CAN_CHOOSE"),
            "MFA_SETUP" => Some("MFAS_CAN_SETUP"),
            "WEB_AUTHN" => Some("CREDENTIAL_REQUEST_OPTIONS"),
            _ => None,
        };
        if let Some(key) = key {
            let value = parameter_value(rng, key);
            parameters.insert(key.into(), json!(value));
        }
    }
    let mut body = serde_json::Map::new();
    body.insert("ChallengeName".into(), json!(name));
    if !rng.one_in(6) {
        body.insert("Session".into(), json!(rng.string(40)));
    }
    body.insert(
        "ChallengeParameters".into(),
        if rng.one_in(20) {
            json!(null)
        } else {
            Value::Object(parameters)
        },
    );
    if rng.one_in(3) {
        let names = [
            "PASSWORD",
            "PASSWORD_SRP",
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN",
            "X",
        ];
        let list: Vec<&str> = (0..rng.below(5)).map(|_| *rng.pick(&names)).collect();
        body.insert("AvailableChallenges".into(), json!(list));
    }
    if rng.one_in(15) {
        body.insert("AuthenticationResult".into(), authentication_result(rng));
    }
    Value::Object(body)
}

/// A JSON value of the wrong shape for wherever it lands.
fn wrong_shape(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(null),
        1 => json!(rng.next()),
        2 => json!(-1.5e300),
        3 => json!([rng.string(5), 1, null]),
        4 => json!({"ChallengeName": 7}),
        5 => json!({"ChallengeName": "SMS_MFA", "ChallengeParameters": ["a"]}),
        6 => json!({"AuthenticationResult": "token"}),
        _ => json!({"ChallengeName": "SMS_MFA", "Session": {"a": 1}, "AvailableChallenges": "x"}),
    }
}

/// How the server behaves for a whole case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Anything, every call.
    Chaos,
    /// The same challenge forever (a sign-in that never ends).
    PingPong(&'static str),
    /// Refuses every answer with a code that keeps the challenge open.
    Refuse(&'static str),
    /// Honest-looking answers that end in tokens after a few steps.
    Mostly,
}

struct Server {
    rng: Rng,
    mode: Mode,
    sends: u32,
    log: Option<Vec<String>>,
}

/// What the protocol allows after a request (the outcome enums), keyed by the flow
/// started or the challenge answered.
fn legal_next(asked: &str) -> &'static [&'static str] {
    const AFTER_PASSWORD: &[&str] = &[
        "tokens",
        "NEW_PASSWORD_REQUIRED",
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "DEVICE_SRP_AUTH",
    ];
    const AFTER_CUSTOM: &[&str] = &[
        "tokens",
        "CUSTOM_CHALLENGE",
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "DEVICE_SRP_AUTH",
        "PASSWORD_VERIFIER",
    ];
    const FIRST_FACTOR: &[&str] = &[
        "tokens",
        "SELECT_CHALLENGE",
        "PASSWORD",
        "PASSWORD_SRP",
        "PASSWORD_VERIFIER",
        "EMAIL_OTP",
        "SMS_OTP",
        "WEB_AUTHN",
        "NEW_PASSWORD_REQUIRED",
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "DEVICE_SRP_AUTH",
    ];
    match asked {
        "USER_SRP_AUTH" | "PASSWORD_SRP" => &["PASSWORD_VERIFIER"],
        "USER_PASSWORD_AUTH" | "PASSWORD_VERIFIER" | "PASSWORD" | "NEW_PASSWORD_REQUIRED" => {
            AFTER_PASSWORD
        }
        "CUSTOM_AUTH" | "CUSTOM_CHALLENGE" => AFTER_CUSTOM,
        "USER_AUTH" | "SELECT_CHALLENGE" => FIRST_FACTOR,
        "SELECT_MFA_TYPE" => &["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
        "MFA_SETUP" => &["tokens", "EMAIL_OTP", "DEVICE_SRP_AUTH"],
        "DEVICE_SRP_AUTH" => &["DEVICE_PASSWORD_VERIFIER"],
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN" => {
            &["tokens", "tokens", "DEVICE_SRP_AUTH"]
        }
        _ => &["tokens"],
    }
}

/// The flow a request starts or the challenge it answers.
fn asked_of(body: &[u8]) -> String {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return String::new();
    };
    request
        .get("AuthFlow")
        .or_else(|| request.get("ChallengeName"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Server {
    // One table of behaviours: splitting it would hide which answer comes how often.
    #[allow(clippy::too_many_lines)]
    fn respond(&mut self, operation: &str, asked: &str) -> HttpResponse {
        let rng = &mut self.rng;
        let ok = |body: String| HttpResponse {
            status: 200,
            content_type: Some("application/x-amz-json-1.1".into()),
            error_type: None,
            retry_after: None,
            body: body.into_bytes(),
        };
        let error = |status: u16, code: &str, rng: &mut Rng| HttpResponse {
            status,
            content_type: Some("application/x-amz-json-1.1".into()),
            error_type: rng.one_in(4).then(|| code.to_owned()),
            retry_after: None,
            body: json!({"__type": code, "message": rng.string(20)})
                .to_string()
                .into_bytes(),
        };
        match self.mode {
            Mode::PingPong(name) if !rng.one_in(50) => {
                return ok(clean_challenge(rng, name).to_string());
            }
            Mode::Refuse(code) if !rng.one_in(50) => {
                if operation == "InitiateAuth" {
                    let first = *rng.pick(&[
                        "SMS_MFA",
                        "SOFTWARE_TOKEN_MFA",
                        "EMAIL_OTP",
                        "NEW_PASSWORD_REQUIRED",
                        "MFA_SETUP",
                        "SMS_OTP",
                    ]);
                    return ok(clean_challenge(rng, first).to_string());
                }
                return error(400, code, rng);
            }
            Mode::Mostly if !rng.one_in(10) => {
                let body = match operation {
                    "AssociateSoftwareToken" => {
                        json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": rng.string(20)})
                    }
                    "VerifySoftwareToken" => json!({"Status": "SUCCESS", "Session": "s"}),
                    "GetTokensFromRefreshToken" => {
                        json!({"AuthenticationResult": authentication_result(rng)})
                    }
                    _ => {
                        let legal = legal_next(asked);
                        let pick = *rng.pick(legal);
                        let dirty = rng.one_in(8);
                        if pick == "tokens" || self.sends > 12 + rng.below(12) as u32 {
                            if dirty {
                                json!({"AuthenticationResult": authentication_result(rng)})
                            } else {
                                clean_tokens(rng)
                            }
                        } else if dirty {
                            challenge_body(rng, Some(pick))
                        } else {
                            clean_challenge(rng, pick)
                        }
                    }
                };
                return ok(body.to_string());
            }
            _ => {}
        }
        match rng.below(20) {
            0..=6 => ok(challenge_body(rng, None).to_string()),
            7 | 8 => ok(json!({"AuthenticationResult": authentication_result(rng)}).to_string()),
            9 | 10 => {
                let status = *rng.pick(&[400, 400, 403, 404, 429, 500, 502, 503]);
                let code = *rng.pick(ERROR_CODES);
                error(status, code, rng)
            }
            11 => {
                // Truncated JSON.
                let full = challenge_body(rng, None).to_string();
                let cut = rng.below(full.len().max(1));
                let mut body = full.into_bytes();
                body.truncate(cut);
                HttpResponse {
                    status: if rng.one_in(2) { 200 } else { 400 },
                    content_type: None,
                    error_type: None,
                    retry_after: None,
                    body,
                }
            }
            12 => {
                // Not UTF-8, sometimes looking like JSON.
                let n = rng.below(200);
                let mut body = rng.bytes(n);
                if rng.one_in(2) {
                    body.insert(0, b'{');
                }
                HttpResponse {
                    status: *rng.pick(&[200, 400, 500]),
                    content_type: Some("text/html".into()),
                    error_type: None,
                    retry_after: None,
                    body,
                }
            }
            13 => {
                // Deeply nested, in the body or inside a value.
                let max = if rng.one_in(20) { 200_000 } else { 2_000 };
                let depth = 1 + rng.below(max);
                let body = match rng.below(3) {
                    0 => nested(depth, "[", "]", ""),
                    1 => format!(
                        "{{\"ChallengeName\":\"SMS_MFA\",\"ChallengeParameters\":{}}}",
                        nested(depth, "{\"a\":", "}", "1")
                    ),
                    _ => format!(
                        "{{\"AuthenticationResult\":{}}}",
                        nested(depth, "[", "]", "")
                    ),
                };
                ok(body)
            }
            14 if rng.one_in(20) => {
                // Huge: a long session, a long parameter, or a long garbage body.
                let size = 100_000 + rng.below(2_000_000);
                let body = match rng.below(3) {
                    0 => json!({"ChallengeName": "SMS_MFA", "Session": "s".repeat(size)}).to_string(),
                    1 => json!({"ChallengeName": "CUSTOM_CHALLENGE", "ChallengeParameters": {"q": "q".repeat(size)}}).to_string(),
                    _ => "{".repeat(size),
                };
                ok(body)
            }
            15 => ok(wrong_shape(rng).to_string()),
            16 => HttpResponse {
                status: rng.below(1000) as u16,
                content_type: None,
                error_type: rng.one_in(2).then(|| rng.string(20)),
                retry_after: None,
                body: rng.string(50).into_bytes(),
            },
            17 => ok(String::new()),
            18 => ok(format!(" \n\t{}", challenge_body(rng, None))),
            _ => {
                let mut body = challenge_body(rng, None);
                body["AuthenticationResult"] = authentication_result(rng);
                ok(body.to_string())
            }
        }
    }
}

#[derive(Clone)]
struct Hostile(Arc<Mutex<Server>>);

impl Transport for Hostile {
    // Scripted answers need no real wait between attempts.
    fn backoff(&self, _: std::time::Duration) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }

    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut server = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        server.sends += 1;
        let operation = request.operation;
        let answer = if server.sends > MAX_SENDS {
            Err(TransportError::new(
                TransportErrorKind::Other,
                operation,
                "the fuzz transport refuses after 100 calls",
            ))
        } else {
            // Sometimes the network fails instead (retryable kinds included).
            if server.rng.one_in(60) {
                let kind = *server.rng.pick(&[
                    TransportErrorKind::Connect,
                    TransportErrorKind::Timeout,
                    TransportErrorKind::Other,
                ]);
                Err(TransportError::new(
                    kind,
                    operation,
                    "fuzzed network failure",
                ))
            } else {
                let asked = asked_of(&request.body);
                Ok(server.respond(operation, &asked))
            }
        };
        if let Some(log) = &mut server.log {
            let shown = match &answer {
                Ok(r) => format!(
                    "{} <- {} {}",
                    operation,
                    r.status,
                    String::from_utf8_lossy(&r.body[..r.body.len().min(300)])
                ),
                Err(e) => format!("{operation} <- {e}"),
            };
            log.push(shown);
        }
        Box::pin(async move { answer })
    }
}

// ---------------------------------------------------------------------------------
// The application side: a handler answering every challenge, sometimes oddly.

#[derive(Debug)]
struct GaveUp;

struct Fuzzer {
    rng: Rng,
    asked: u32,
    seen: u64,
}

impl Handler for Fuzzer {
    type Error = GaveUp;
}

impl Fuzzer {
    /// Looks at what it is shown (Debug must not panic), and may give up.
    fn look(&mut self, shown: &dyn std::fmt::Debug) -> Result<(), GaveUp> {
        self.asked += 1;
        self.seen += format!("{shown:?}").len() as u64;
        if self.asked > 2 * MAX_SENDS || self.rng.one_in(40) {
            return Err(GaveUp);
        }
        Ok(())
    }

    fn code(&mut self) -> String {
        if self.rng.one_in(8) {
            self.rng.string(12)
        } else {
            format!("{:06}", self.rng.below(1_000_000))
        }
    }
}

macro_rules! code_handlers {
    ($($challenge:ty => $answer:ident),*) => {$(
        impl Handle<$challenge> for Fuzzer {
            async fn answer(&mut self, pending: &Pending<$challenge>) -> Result<$answer, GaveUp> {
                self.look(pending)?;
                Ok($answer::new(self.code()))
            }
        }
    )*};
}

code_handlers!(
    SmsMfa => SmsMfaCode,
    SoftwareTokenMfa => SoftwareTokenMfaCode,
    EmailOtp => EmailOtpCode,
    SmsOtp => SmsOtpCode,
    CustomChallenge => CustomAnswer,
    WebAuthn => WebAuthnCredential,
    Password => PasswordAnswer
);

impl Handle<NewPasswordRequired> for Fuzzer {
    async fn answer(
        &mut self,
        pending: &Pending<NewPasswordRequired>,
    ) -> Result<NewPassword, GaveUp> {
        self.look(pending)?;
        let mut answer = NewPassword::new(self.rng.string(20));
        for attribute in pending.challenge().required_attributes() {
            answer = answer.attribute(attribute, "value");
        }
        Ok(answer)
    }
}

impl Handle<SelectMfaType> for Fuzzer {
    async fn answer(
        &mut self,
        pending: &Pending<SelectMfaType>,
    ) -> Result<cognito_typestate::challenges::MfaSelection, GaveUp> {
        self.look(pending)?;
        let offered = pending.challenge().offered();
        if offered.is_empty() {
            return Err(GaveUp);
        }
        let factor = self.rng.pick(offered).clone();
        pending.challenge().choose(&factor).ok_or(GaveUp)
    }
}

impl Handle<MfaSetup> for Fuzzer {
    async fn answer(&mut self, pending: &Pending<MfaSetup>) -> Result<MfaSetupChoice, GaveUp> {
        self.look(pending)?;
        Ok(match pending.challenge().email("fuzz@example.com") {
            Some(email) if self.rng.one_in(2) => MfaSetupChoice::Email(email),
            _ => MfaSetupChoice::SoftwareToken,
        })
    }
}

impl Handle<SoftwareTokenSetup> for Fuzzer {
    async fn answer(&mut self, setup: &TotpSetup) -> Result<TotpVerification, GaveUp> {
        self.look(setup)?;
        let _ = setup.otpauth_uri(&self.rng.string(8));
        Ok(TotpVerification::new(self.code()).friendly_device_name(self.rng.string(8)))
    }
}

impl Handle<PasswordSrp> for Fuzzer {
    async fn answer(&mut self, pending: &Pending<PasswordSrp>) -> Result<PasswordAnswer, GaveUp> {
        self.look(pending)?;
        Ok(PasswordAnswer::new("pw"))
    }
}

impl Handle<SelectChallenge> for Fuzzer {
    async fn answer(
        &mut self,
        pending: &Pending<SelectChallenge>,
    ) -> Result<FirstFactorAnswer, GaveUp> {
        self.look(pending)?;
        let challenge = pending.challenge();
        let choice = match self.rng.below(5) {
            0 => challenge.password("pw"),
            1 => challenge.email_otp(),
            2 => challenge.sms_otp(),
            3 => challenge.web_authn(),
            _ => None,
        };
        Ok(choice.map_or_else(
            || FirstFactorAnswer::PasswordSrp(Secret::new("pw")),
            Into::into,
        ))
    }
}

// ---------------------------------------------------------------------------------
// Cases.

/// How each case ended.
#[derive(Default)]
struct Tally {
    kinds: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, kind: impl Into<String>) {
        *self.kinds.entry(kind.into()).or_default() += 1;
    }

    fn merge(&mut self, other: Tally) {
        for (k, v) in other.kinds {
            *self.kinds.entry(k).or_default() += v;
        }
    }
}

fn error_kind(e: &Error) -> String {
    match e {
        Error::Service(s) => format!("service.{:?}", s.kind()),
        Error::SessionExpired { .. } => "session_expired".into(),
        Error::UnexpectedChallenge(_) => "unexpected_challenge".into(),
        Error::Protocol(p) => match p {
            ProtocolError::NotJson { .. } => "protocol.not_json",
            ProtocolError::Shape { .. } => "protocol.shape",
            ProtocolError::NoErrorCode { .. } => "protocol.no_error_code",
            ProtocolError::TokensAndChallenge { .. } => "protocol.tokens_and_challenge",
            ProtocolError::NeitherTokensNorChallenge => "protocol.neither",
            ProtocolError::UnexpectedTokens { .. } => "protocol.unexpected_tokens",
            ProtocolError::MissingToken(_) => "protocol.missing_token",
            ProtocolError::Parameter { .. } => "protocol.parameter",
            ProtocolError::MissingSession(_) => "protocol.missing_session",
            ProtocolError::VerifyFailed(_) => "protocol.verify_failed",
            _ => "protocol.other",
        }
        .into(),
        Error::Transport(_) => "transport".into(),
        Error::NotOffered { .. } => "not_offered".into(),
        Error::Srp(_) => "srp".into(),
        Error::Config(_) => "config".into(),
        Error::Internal(_) => "INTERNAL".into(),
        _ => "other".into(),
    }
}

/// Formats a value both ways, as an application's logging would.
fn show(value: &(impl std::fmt::Debug + ?Sized)) -> usize {
    format!("{value:?}").len()
}

fn ended(result: Result<Tokens, SignInError<GaveUp>>) -> String {
    match result {
        Ok(tokens) => {
            let _ = (
                show(&tokens),
                tokens.id_token_claims(),
                tokens.access_token_claims(),
            );
            "tokens".into()
        }
        Err(SignInError::Handler(GaveUp)) => "handler_gave_up".into(),
        Err(SignInError::Cognito(e)) => {
            let _ = (show(&e), e.to_string());
            error_kind(&e)
        }
    }
}

fn device_credentials(rng: &mut Rng) -> DeviceCredentials {
    DeviceCredentials {
        device_key: format!("us-east-1_{}", rng.string(12)),
        device_group_key: rng.string(10),
        device_password: Secret::new(rng.base64(40)),
    }
}

/// A cheap ephemeral: the shortest exponent the client accepts (256 bits; `A` is then
/// one small exponentiation).
fn cheap_ephemeral(rng: &mut Rng) -> SrpEphemeral {
    let mut a = rng.bytes(32);
    a[0] |= 0x80;
    SrpEphemeral::from_secret(&a).expect("a 256-bit exponent")
}

/// Starts `flow`; then either drives the first outcome, or lets `sign_in` do it all.
async fn run_flow<F>(client: &Client, flow: F, handler: &mut Fuzzer, whole: bool) -> String
where
    F: cognito_typestate::flows::Flow + 'static,
    F::Outcome: HandledBy<Fuzzer> + std::fmt::Debug,
{
    if whole {
        return ended(client.sign_in(flow, handler).await);
    }
    match client.initiate(flow).await {
        Ok(first) => {
            let _ = show(&first);
            ended(drive(first, handler).await)
        }
        Err(e) => {
            let _ = (show(&e), e.to_string());
            error_kind(&e)
        }
    }
}

/// One flow against the hostile server.
async fn flow_case(rng: &mut Rng, client: &Client) -> String {
    let mut handler = Fuzzer {
        rng: Rng::new(rng.next()),
        asked: 0,
        seen: 0,
    };
    let whole = rng.one_in(2);
    let user = rng.string(12);
    let device = rng.one_in(4).then(|| device_credentials(rng));
    let h = &mut handler;
    match rng.below(20) {
        0..=3 => {
            let mut flow = UserSrpAuth::new(user, rng.string(16)).ephemeral(cheap_ephemeral(rng));
            if let Some(d) = device {
                flow = flow.device(d);
            }
            run_flow(client, flow, h, whole).await
        }
        4..=7 => {
            let mut flow = UserPasswordAuth::new(user, rng.string(16));
            if let Some(d) = device {
                flow = flow.device(d);
            } else if rng.one_in(4) {
                flow = flow.device_key(rng.string(10));
            }
            run_flow(client, flow.client_metadata("k", "v"), h, whole).await
        }
        8..=10 => {
            // `with_srp` makes its own ephemeral: a full-size exponentiation, so rarer.
            let flow: CustomAuth = if rng.one_in(6) {
                CustomAuth::with_srp(user, rng.string(10))
            } else {
                CustomAuth::new(user)
            };
            run_flow(client, flow, h, whole).await
        }
        11..=14 => {
            let flow = match rng.below(3) {
                0 => UserAuth::new(user),
                1 => UserAuth::with_password(user, rng.string(10)),
                _ => {
                    UserAuth::new(user).prefer(cognito_typestate::challenges::FirstFactor::EmailOtp)
                }
            };
            run_flow(client, flow, h, whole).await
        }
        15 => run_flow(client, UserAuthSrp::new(user, rng.string(10)), h, whole).await,
        16 | 17 => {
            let mut flow = RefreshTokenAuth::new(rng.string(30));
            if rng.one_in(2) {
                flow = flow.username(user);
            }
            if rng.one_in(3) {
                flow = flow.legacy_flow_name();
            }
            run_flow(client, flow, h, whole).await
        }
        _ => {
            run_flow(
                client,
                TokensFromRefreshToken::new(rng.string(30)),
                h,
                whole,
            )
            .await
        }
    }
}

/// A stored pending state of challenge `name`, as `Detached` serialises it.
fn stored_state(rng: &mut Rng, name: &str) -> Value {
    let body = challenge_body(rng, Some(name));
    json!({
        "client_id": "fuzz-client",
        "challenge_name": name,
        "parameters": body["ChallengeParameters"].clone(),
        "available_challenges": body.get("AvailableChallenges").cloned().unwrap_or(json!([])),
        "session": rng.string(30),
        "username": rng.string(10),
        "issued_at_ms": 1_800_000_000_000u64,
        "validity_secs": 180,
    })
}

/// A random mutation of a stored state: values of other types, missing keys, extreme
/// numbers, other challenge names, another client.
fn mutate(rng: &mut Rng, state: &mut Value) {
    const KEYS: &[&str] = &[
        "client_id",
        "challenge_name",
        "parameters",
        "available_challenges",
        "session",
        "username",
        "device_key",
        "client_metadata",
        "issued_at_ms",
        "validity_secs",
        "refused",
    ];
    let Some(object) = state.as_object_mut() else {
        return;
    };
    for _ in 0..rng.below(4) {
        let key = *rng.pick(KEYS);
        match rng.below(7) {
            0 => {
                object.remove(key);
            }
            1 => {
                object.insert(key.into(), wrong_shape(rng));
            }
            2 => {
                let n = *rng.pick(&[
                    0,
                    1,
                    u64::from(u32::MAX),
                    1 << 53,
                    i64::MAX as u64,
                    u64::MAX,
                ]);
                object.insert(key.into(), json!(n));
            }
            3 => {
                object.insert(key.into(), json!(rng.string(20)));
            }
            4 => {
                object.insert("challenge_name".into(), json!(*rng.pick(CHALLENGES)));
            }
            5 => {
                object.insert("client_id".into(), json!("another-client"));
            }
            _ => {
                let mut parameters = serde_json::Map::new();
                for _ in 0..rng.below(5) {
                    let key = (*rng.pick(PARAMETER_KEYS)).to_owned();
                    let value = parameter_value(rng, &key);
                    parameters.insert(key, json!(value));
                }
                object.insert("parameters".into(), Value::Object(parameters));
            }
        }
    }
}

/// Reads `text` as a `Detached<C>`, attaches it and drives it to the end.
async fn resume<C>(
    text: &str,
    client: &Client,
    handler: &mut Fuzzer,
    broken: &mut Vec<String>,
) -> String
where
    C: Challenge + std::fmt::Debug,
    Pending<C>: HandledBy<Fuzzer>,
{
    let detached = match serde_json::from_str::<Detached<C>>(text) {
        Ok(detached) => detached,
        Err(e) => {
            let _ = e.to_string();
            return "detached.rejected".into();
        }
    };
    let _ = show(&detached);
    // What was accepted once is accepted again after a round trip.
    match serde_json::to_string(&detached).map(|again| serde_json::from_str::<Detached<C>>(&again))
    {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => broken.push(format!(
            "a serialised Detached<{}> does not read back: {e}",
            C::NAME
        )),
        Err(e) => broken.push(format!("Detached<{}> does not serialise: {e}", C::NAME)),
    }
    let pending = match detached.attach(client) {
        Ok(pending) => pending,
        Err(e) => return error_kind(&e),
    };
    let _ = (
        show(&pending),
        pending.expires_at(),
        pending.attempt(),
        pending.username(),
    );
    ended(drive(pending, handler).await)
}

async fn detached_case(rng: &mut Rng, client: &Client, broken: &mut Vec<String>) -> String {
    let name = *rng.pick(CHALLENGES);
    let mut state = stored_state(rng, name);
    mutate(rng, &mut state);
    let mut text = state.to_string();
    if rng.one_in(5) {
        // Byte-level damage, kept UTF-8.
        let mut bytes = text.into_bytes();
        for _ in 0..=rng.below(3) {
            let i = rng.below(bytes.len());
            bytes[i] = *rng.pick(b"{}[]\",:0a- ");
        }
        if rng.one_in(2) {
            bytes.truncate(rng.below(bytes.len() + 1));
        }
        text = String::from_utf8(bytes).unwrap_or_default();
    }
    let mut handler = Fuzzer {
        rng: Rng::new(rng.next()),
        asked: 0,
        seen: 0,
    };
    let h = &mut handler;
    // Read it as the challenge it names most of the time, as another one sometimes.
    let as_name = if rng.one_in(4) {
        *rng.pick(CHALLENGES)
    } else {
        name
    };
    if VERBOSE.load(Ordering::Relaxed) {
        eprintln!("  stored state, read as {as_name}: {text}");
    }
    match as_name {
        "SMS_MFA" => resume::<SmsMfa>(&text, client, h, broken).await,
        "SOFTWARE_TOKEN_MFA" => resume::<SoftwareTokenMfa>(&text, client, h, broken).await,
        "EMAIL_OTP" => resume::<EmailOtp>(&text, client, h, broken).await,
        "SMS_OTP" => resume::<SmsOtp>(&text, client, h, broken).await,
        "SELECT_MFA_TYPE" => resume::<SelectMfaType>(&text, client, h, broken).await,
        "MFA_SETUP" => resume::<MfaSetup>(&text, client, h, broken).await,
        "NEW_PASSWORD_REQUIRED" => resume::<NewPasswordRequired>(&text, client, h, broken).await,
        "PASSWORD_VERIFIER" => resume::<PasswordVerifier>(&text, client, h, broken).await,
        "DEVICE_SRP_AUTH" => {
            // The device path answers with stored credentials instead of a handler.
            match serde_json::from_str::<Detached<DeviceSrpAuth>>(&text) {
                Ok(detached) => match detached.attach(client) {
                    Ok(pending) => {
                        let _ = show(&pending);
                        let credentials = device_credentials(rng);
                        match pending.respond_with_device(&credentials).await {
                            Ok(tokens) => {
                                let _ = show(&tokens);
                                "tokens".into()
                            }
                            Err(e) => error_kind(&e),
                        }
                    }
                    Err(e) => error_kind(&e),
                },
                Err(_) => "detached.rejected".into(),
            }
        }
        "DEVICE_PASSWORD_VERIFIER" => {
            resume::<DevicePasswordVerifier>(&text, client, h, broken).await
        }
        "SELECT_CHALLENGE" => resume::<SelectChallenge>(&text, client, h, broken).await,
        "PASSWORD" => resume::<Password>(&text, client, h, broken).await,
        "PASSWORD_SRP" => resume::<PasswordSrp>(&text, client, h, broken).await,
        "WEB_AUTHN" => resume::<WebAuthn>(&text, client, h, broken).await,
        _ => resume::<CustomChallenge>(&text, client, h, broken).await,
    }
}

struct CaseResult {
    kind: String,
    sends: u32,
    broken: Vec<String>,
}

/// Challenges a ping-pong server asks forever.
const ENDLESS: &[&str] = &[
    "CUSTOM_CHALLENGE",
    "SMS_MFA",
    "SELECT_CHALLENGE",
    "MFA_SETUP",
    "PASSWORD_SRP",
    "NEW_PASSWORD_REQUIRED",
];
/// Refusals that keep a challenge open.
const KEEPING: &[&str] = &[
    "CodeMismatchException",
    "InvalidPasswordException",
    "EnableSoftwareTokenMFAException",
    "InvalidParameterException",
];
fn run_case(seed: u64, index: u64, verbose: bool, runtime: &tokio::runtime::Runtime) -> CaseResult {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f));
    let mode = match rng.below(12) {
        0 => Mode::PingPong(ENDLESS[rng.below(ENDLESS.len())]),
        1 => Mode::Refuse(KEEPING[rng.below(KEEPING.len())]),
        2..=7 => Mode::Mostly,
        _ => Mode::Chaos,
    };
    let server = Arc::new(Mutex::new(Server {
        rng: Rng::new(rng.next()),
        mode,
        sends: 0,
        log: verbose.then(Vec::new),
    }));
    let mut builder = Client::builder("fuzz-client")
        .transport(Hostile(Arc::clone(&server)))
        .max_attempts(1 + rng.below(4) as u32);
    if rng.one_in(10) {
        builder = builder.region("us-east-1");
    } else {
        builder = builder.user_pool_id("us-east-1_FuzzPool");
    }
    if rng.one_in(3) {
        builder = builder.client_secret(rng.string(20));
    }
    let clock_secs = *rng.pick(&[0u64, 1_800_000_000, 253_402_300_799, 1 << 40]);
    builder = builder.clock(move || UNIX_EPOCH + Duration::from_secs(clock_secs));
    let client = builder.build().expect("a valid configuration");
    let mut broken = Vec::new();
    let detached = rng.one_in(4);
    let kind = runtime.block_on(async {
        let case = async {
            if detached {
                detached_case(&mut rng, &client, &mut broken).await
            } else {
                flow_case(&mut rng, &client).await
            }
        };
        match tokio::time::timeout(CASE_BUDGET, case).await {
            Ok(kind) => kind,
            Err(_) => "HUNG".to_owned(),
        }
    });
    let server = server
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(log) = &server.log {
        eprintln!("case {index}: mode {mode:?}, detached {detached}");
        for line in log {
            eprintln!("  {line}");
        }
        eprintln!("  => {kind}");
    }
    if server.sends > MAX_SENDS + 1 {
        broken.push(format!(
            "case {index}: {} sends after the transport refused",
            server.sends
        ));
    }
    CaseResult {
        kind,
        sends: server.sends,
        broken,
    }
}

// ---------------------------------------------------------------------------------

struct Args {
    cases: u64,
    seed: u64,
    start: u64,
    threads: u64,
    verbose: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cases: 20_000,
        seed: 1,
        start: 0,
        threads: 2,
        verbose: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--cases" => args.cases = number("--cases")?,
            "--seed" => args.seed = number("--seed")?,
            "--start" => args.start = number("--start")?,
            "--threads" => args.threads = number("--threads")?.max(1),
            "--verbose" => args.verbose = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: fuzz-responses [--cases N] [--seed S] [--start K] [--threads T] [--verbose]"
                ));
            }
        }
    }
    Ok(args)
}

#[derive(Default)]
struct Totals {
    tally: Tally,
    /// Distinct panic messages: how many, and the first case that hit each.
    panics: BTreeMap<String, (u64, u64)>,
    panic_count: u64,
    hung: Vec<u64>,
    broken: Vec<String>,
    sends: u64,
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// `--verbose`: cases print what they were given.
static VERBOSE: AtomicBool = AtomicBool::new(false);

#[allow(clippy::too_many_lines)] // the run loop, the watchdog and the summary, in order
fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Keep panics quiet (they are counted and the first ones shown at the end).
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        *PANIC_MESSAGE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(format!("{payload}{location}"));
    }));
    VERBOSE.store(args.verbose, Ordering::Relaxed);
    let _ = honest_b();
    let started = Instant::now();
    let next = Arc::new(AtomicU64::new(args.start));
    let end = args.start + args.cases;
    let totals = Arc::new(Mutex::new(Totals::default()));
    // A watchdog for a case stuck in a loop that never awaits: it stops the run.
    let current: Arc<Vec<(AtomicU64, AtomicU64)>> = Arc::new(
        (0..args.threads)
            .map(|_| (AtomicU64::new(u64::MAX), AtomicU64::new(0)))
            .collect(),
    );
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let current = Arc::clone(&current);
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let now = millis_since(started);
                for (case, since) in current.iter() {
                    let case = case.load(Ordering::Relaxed);
                    if case != u64::MAX
                        && now.saturating_sub(since.load(Ordering::Relaxed))
                            > 2 * CASE_BUDGET.as_millis() as u64
                    {
                        println!(
                            "fuzz-responses: case {case} hung for more than {:?}; replay with --start {case} --cases 1 --verbose",
                            2 * CASE_BUDGET
                        );
                        std::process::exit(1);
                    }
                }
            }
        })
    };
    let workers: Vec<_> = (0..args.threads)
        .map(|worker| {
            let next = Arc::clone(&next);
            let totals = Arc::clone(&totals);
            let current = Arc::clone(&current);
            let (seed, verbose) = (args.seed, args.verbose);
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .expect("a runtime");
                let mut local = Totals::default();
                let slot = &current[usize::try_from(worker).unwrap_or(0)];
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= end {
                        break;
                    }
                    slot.1.store(millis_since(started), Ordering::Relaxed);
                    slot.0.store(index, Ordering::Relaxed);
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        run_case(seed, index, verbose, &runtime)
                    }));
                    if let Ok(result) = outcome {
                        if result.kind == "HUNG" {
                            local.hung.push(index);
                        }
                        local.sends += u64::from(result.sends);
                        local.broken.extend(result.broken);
                        local.tally.add(result.kind);
                    } else {
                        {
                            local.panic_count += 1;
                            let message = PANIC_MESSAGE
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .take()
                                .unwrap_or_default();
                            let entry = local.panics.entry(message).or_insert((0, index));
                            entry.0 += 1;
                            entry.1 = entry.1.min(index);
                        }
                    }
                }
                slot.0.store(u64::MAX, Ordering::Relaxed);
                let mut totals = totals
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                totals.tally.merge(local.tally);
                totals.panic_count += local.panic_count;
                for (message, (count, first)) in local.panics {
                    let entry = totals.panics.entry(message).or_insert((0, first));
                    entry.0 += count;
                    entry.1 = entry.1.min(first);
                }
                totals.hung.extend(local.hung);
                totals.broken.extend(local.broken);
                totals.sends += local.sends;
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let elapsed = started.elapsed();
    let totals = totals
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (message, (count, first)) in &totals.panics {
        println!(
            "panic x{count}: {message}  (first: case {first}; replay: --seed {} --start {first} --cases 1 --verbose)",
            args.seed
        );
    }
    for line in totals.broken.iter().take(5) {
        println!("invariant: {line}");
    }
    let internal = totals.tally.kinds.get("INTERNAL").copied().unwrap_or(0);
    let mut kinds = String::new();
    for (kind, count) in &totals.tally.kinds {
        let _ = write!(kinds, " {kind}={count}");
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = args.cases as f64 / elapsed.as_secs_f64().max(1e-9);
    println!(
        "fuzz-responses: cases={} seed={} panics={} hung={} invariant_failures={} internal_errors={} sends={} time={:.1}s rate={:.0}/s |{}",
        args.cases,
        args.seed,
        totals.panic_count,
        totals.hung.len(),
        totals.broken.len(),
        internal,
        totals.sends,
        elapsed.as_secs_f64(),
        rate,
        kinds
    );
    if totals.panic_count > 0
        || !totals.hung.is_empty()
        || !totals.broken.is_empty()
        || internal > 0
    {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn millis_since(start: Instant) -> u64 {
    start.elapsed().as_millis() as u64
}
