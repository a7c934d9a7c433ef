use cognito_typestate::Challenge;
use cognito_typestate::challenges::AfterCustomChallenge;

#[derive(Challenge)]
#[challenge(name = "CUSTOM_CHALLENGE", response = String, next = AfterCustomChallenge)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
