// `secret` and `prefix` belong on answers; `default` on an `Option` does nothing.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("captchaUrl", public)]
    url: String,
    #[param(prefix = "extra.")]
    extra: std::collections::BTreeMap<String, String>,
    #[param("hint", default)]
    hint: Option<String>,
}

fn main() {}
