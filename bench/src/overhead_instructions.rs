//! Runs one side of the types' run-time benchmark `N` times, for callgrind to count its
//! instructions (`scripts/bench-overhead.sh` runs it with `N` = 0 and more, and takes the
//! difference): instruction counts do not move with the machine's other load, as times
//! do on a shared two-core machine.
//!
//! ```text
//! overhead-instructions read-typed|read-untyped|exchange-typed|exchange-untyped N
//! ```

use std::hint::black_box;

use cognito_typestate_bench::{
    Canned, SMS_MFA, answer, canned_client, exchange_typed, exchange_untyped, read_typed,
    read_untyped,
};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, count] = args.as_slice() else {
        return Err("usage: overhead-instructions SIDE N".into());
    };
    let count: u32 = count.parse().map_err(|e| format!("N: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    // Everything but the measured loop happens whatever N is, so it cancels out.
    let client = canned_client();
    let transport = Canned(SMS_MFA);
    let response = answer(SMS_MFA);
    for _ in 0..count {
        match side.as_str() {
            "read-typed" => drop(black_box(read_typed(&client, black_box(&response)))),
            "read-untyped" => drop(black_box(read_untyped(black_box(&response)))),
            "exchange-typed" => drop(black_box(runtime.block_on(exchange_typed(&client)))),
            "exchange-untyped" => drop(black_box(runtime.block_on(exchange_untyped(&transport)))),
            other => return Err(format!("{other}: not a side")),
        }
    }
    Ok(())
}
