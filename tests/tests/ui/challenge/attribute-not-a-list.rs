use cognito_typestate::Challenge;

#[derive(Challenge)]
#[challenge = "CUSTOM_CHALLENGE"]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
