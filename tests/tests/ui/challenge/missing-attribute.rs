use cognito_typestate::Challenge;

#[derive(Challenge)]
struct Captcha {
    #[param("captchaUrl")]
    url: String,
}

fn main() {}
