// Rustc accepts a derive's helper attribute anywhere on the item; the derive does not
// ignore one where it has no meaning.
use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = AfterCustomChallenge)]
#[param("captchaUrl")]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
