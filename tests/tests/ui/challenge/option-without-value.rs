use cognito_typestate::Challenge;
use cognito_typestate::challenges::{AfterCustomChallenge, CustomAnswer};

#[derive(Challenge)]
#[challenge(name, response = CustomAnswer, next = AfterCustomChallenge)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
