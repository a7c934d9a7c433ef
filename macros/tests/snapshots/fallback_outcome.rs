::core::compile_error! {
    "variant `Nothing` must hold exactly one value: `Nothing(Tokens)` or `Nothing(Pending<SomeChallenge>)`"
}
#[automatically_derived]
impl<
    C: Challenge,
    __O: ::cognito_typestate::__private::Outcome,
> ::cognito_typestate::__private::Within<__O> for AfterLogin<C> {}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::Outcome for AfterLogin<C> {
    const VARIANTS: &'static [::cognito_typestate::__private::Variant] = &[];
    fn from_step(
        _: ::cognito_typestate::__private::Step,
    ) -> ::cognito_typestate::__private::Result<
        Self,
        ::cognito_typestate::__private::Error,
    > {
        ::cognito_typestate::__private::Result::Err(
            ::cognito_typestate::__private::no_variant(
                <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
            ),
        )
    }
}
#[automatically_derived]
impl<
    C: Challenge,
    __H: ::cognito_typestate::__private::Handler,
    __D,
> ::cognito_typestate::__private::Reach<__H, __D> for AfterLogin<C> {
    fn register(_: &mut ::cognito_typestate::__private::Table<__H>) {}
}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::Erase for AfterLogin<C> {
    fn erase(self) -> ::cognito_typestate::__private::Erased {
        ::core::unreachable!()
    }
}
