//! What the types cost at run time, in one run, each against the untyped way:
//!
//! - reading: one `InitiateAuth` answer (an `SMS_MFA` challenge, as HTTP delivered it)
//!   read into its typed outcome, a `Pending<SmsMfa>`, against the same bytes read into
//!   a JSON map;
//! - the whole exchange: the request written, sent through an in-memory transport and its
//!   answer read, by the library against the same done with JSON maps.
//!
//! The ratio typed / untyped is the overhead. On a noisy machine, the instruction counts
//! of `scripts/bench-overhead.sh` are the steadier measure of the same code.
//!
//! `cargo bench -p cognito-typestate-bench --bench typed_outcome`

use std::hint::black_box;

use cognito_typestate::challenges::AfterPassword;
use cognito_typestate_bench::{
    Canned, SMS_MFA, answer, canned_client, exchange_typed, exchange_untyped, read_typed,
    read_untyped,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn typed_against_untyped(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let client = canned_client();
    let transport = Canned(SMS_MFA);
    let response = answer(SMS_MFA);

    // Both read the same answer: check it once, outside the timing.
    assert!(matches!(
        read_typed(&client, &response),
        Ok(AfterPassword::SmsMfa(_))
    ));
    assert_eq!(read_untyped(&response)["ChallengeName"], "SMS_MFA");
    let typed = runtime.block_on(exchange_typed(&client));
    assert!(matches!(typed, Ok(AfterPassword::SmsMfa(_))));
    let map = runtime.block_on(exchange_untyped(&transport));
    assert_eq!(map["ChallengeName"], "SMS_MFA");

    let mut group = c.benchmark_group("SMS_MFA answer read");
    group.bench_function("untyped: into a JSON map", |b| {
        b.iter(|| read_untyped(black_box(&response)));
    });
    group.bench_function("typed: into Pending<SmsMfa>", |b| {
        b.iter(|| read_typed(&client, black_box(&response)));
    });
    group.finish();

    let mut group = c.benchmark_group("InitiateAuth answered with SMS_MFA");
    group.bench_function("untyped: JSON map in and out", |b| {
        b.iter(|| runtime.block_on(exchange_untyped(&transport)));
    });
    group.bench_function("typed: Pending<SmsMfa>", |b| {
        b.iter(|| runtime.block_on(exchange_typed(&client)));
    });
    group.finish();
}

criterion_group!(benches, typed_against_untyped);
criterion_main!(benches);
