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
impl ::cognito_typestate::__private::Prompt for Captcha {
    type Input = ::cognito_typestate::__private::Pending<Self>;
    type Answer = <Self as ::cognito_typestate::__private::Challenge>::Response;
}
#[automatically_derived]
impl<
    __H: ::cognito_typestate::__private::Handle<Captcha>,
> ::cognito_typestate::__private::Drive<__H> for Captcha {
    type Then = <Self as ::cognito_typestate::__private::Challenge>::Next;
    fn drive(
        __pending: ::cognito_typestate::__private::Pending<Self>,
        __handler: &mut __H,
    ) -> ::cognito_typestate::__private::BoxFuture<
        '_,
        ::cognito_typestate::__private::Result<
            Self::Then,
            ::cognito_typestate::__private::SignInError<__H::Error>,
        >,
    > {
        ::cognito_typestate::__private::respond_with_handler(__pending, __handler)
    }
}
