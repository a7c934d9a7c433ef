::core::compile_error! {
    "unknown challenge attribute `flow`; expected one of `name`, `response`, `next`, `handler`, `crate`"
}
#[automatically_derived]
impl ::cognito_typestate::__private::Challenge for Captcha {
    const NAME: &'static str = "CUSTOM_CHALLENGE";
    type Response = Answer;
    type Next = AfterCustomChallenge;
    fn from_parameters(
        _: &::cognito_typestate::__private::Parameters<'_>,
    ) -> ::cognito_typestate::__private::Result<
        Self,
        ::cognito_typestate::__private::ParameterError,
    > {
        ::cognito_typestate::__private::Result::Err(::cognito_typestate::__private::ParameterError::Missing {
            key: ::core::default::Default::default(),
        })
    }
}
#[automatically_derived]
impl ::cognito_typestate::__private::AskHandler for Captcha {}
