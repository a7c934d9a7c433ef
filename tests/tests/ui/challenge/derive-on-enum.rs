use cognito_typestate::Challenge;

#[derive(Challenge)]
enum Captcha {
    Image,
    Audio,
}

fn main() {}
