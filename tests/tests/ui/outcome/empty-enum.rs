use cognito_typestate::Outcome;

#[derive(Outcome)]
enum Nothing {}

fn main() {}
