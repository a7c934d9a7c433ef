#[automatically_derived]
impl<
    C: Challenge,
    __H: ::cognito_typestate::__private::Handler,
    __D,
> ::cognito_typestate::__private::Reach<__H, __D> for AfterCustom<C>
where
    Tokens: ::cognito_typestate::__private::ReachVariant<__H, __D>,
    Pending<C>: ::cognito_typestate::__private::ReachVariant<__H, __D>,
{
    fn register(__table: &mut ::cognito_typestate::__private::Table<__H>) {
        ::cognito_typestate::__private::register_variant::<Tokens, __H, __D>(__table);
        ::cognito_typestate::__private::register_variant::<
            Pending<C>,
            __H,
            __D,
        >(__table);
    }
}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::Erase for AfterCustom<C> {
    fn erase(self) -> ::cognito_typestate::__private::Erased {
        match self {
            Self::Authenticated(__v) => {
                <Tokens as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
            Self::Custom(__v) => {
                <Pending<
                    C,
                > as ::cognito_typestate::__private::OutcomeVariant>::__erase(__v)
            }
        }
    }
}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::StateOf<AfterCustom<C>> for Tokens {}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::StateOf<AfterCustom<C>>
for Pending<C> {}
#[automatically_derived]
impl<
    C: Challenge,
    __O: ::cognito_typestate::__private::Outcome,
> ::cognito_typestate::__private::Within<__O> for AfterCustom<C>
where
    Tokens: ::cognito_typestate::__private::StateOf<__O>,
    Pending<C>: ::cognito_typestate::__private::StateOf<__O>,
{}
#[automatically_derived]
impl<C: Challenge> ::cognito_typestate::__private::Outcome for AfterCustom<C> {
    const VARIANTS: &'static [::cognito_typestate::__private::Variant] = &[
        ::cognito_typestate::__private::Variant {
            name: "Authenticated",
            accepts: <Tokens as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Tokens as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
        ::cognito_typestate::__private::Variant {
            name: "Custom",
            accepts: <Pending<
                C,
            > as ::cognito_typestate::__private::OutcomeVariant>::ACCEPTS,
            next: <Pending<C> as ::cognito_typestate::__private::OutcomeVariant>::NEXT,
        },
    ];
    fn from_step(
        __step: ::cognito_typestate::__private::Step,
    ) -> ::cognito_typestate::__private::Result<
        Self,
        ::cognito_typestate::__private::Error,
    > {
        const {
            match ::cognito_typestate::__private::first_duplicate(
                <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
            ) {
                1usize => {
                    ::core::panic!(
                        "`AfterCustom::Custom` accepts the same step as an earlier variant; an outcome lists each challenge (and `Tokens`) once"
                    )
                }
                _ => {}
            }
        };
        match ::cognito_typestate::__private::select(
            &__step,
            <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
        )? {
            0usize => {
                <Tokens as ::cognito_typestate::__private::OutcomeVariant>::from_step(
                        __step,
                    )
                    .map(Self::Authenticated)
            }
            1usize => {
                <Pending<
                    C,
                > as ::cognito_typestate::__private::OutcomeVariant>::from_step(__step)
                    .map(Self::Custom)
            }
            _ => {
                ::cognito_typestate::__private::Result::Err(
                    ::cognito_typestate::__private::no_variant(
                        <Self as ::cognito_typestate::__private::Outcome>::VARIANTS,
                    ),
                )
            }
        }
    }
}
