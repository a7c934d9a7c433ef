// A misspelt option: the error names the one meant, and `name` is not also missing.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(nmae = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
