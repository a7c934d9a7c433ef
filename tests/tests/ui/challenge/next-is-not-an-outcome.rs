use cognito_typestate::challenges::CustomAnswer;
use cognito_typestate::{Challenge, Tokens};

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = CustomAnswer, next = Option<Tokens>)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
