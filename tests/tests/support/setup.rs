//! One emulator with one pool and one app client, for the test binaries that sign in
//! against the emulator. Each binary adds its own constructors and helpers in its own
//! `impl Setup`.

// Each test binary uses its own part of it.
#![allow(dead_code)]

use cognito_typestate::Client;
use cognito_typestate_emulator::{
    AppClientConfig, AppClientInfo, Emulator, PoolConfig, PoolHandle,
};
use serde_json::Value;

pub(crate) struct Setup {
    pub(crate) emulator: Emulator,
    pub(crate) pool: PoolHandle,
    pub(crate) app: AppClientInfo,
}

impl Setup {
    pub(crate) async fn new(pool: PoolConfig, app: AppClientConfig) -> Self {
        let emulator = Emulator::start().await.unwrap();
        let pool = emulator.create_pool(pool).unwrap();
        let app = pool.create_client(app).unwrap();
        Self {
            emulator,
            pool,
            app,
        }
    }

    /// `pool` with an app client without a secret.
    pub(crate) async fn pool(pool: PoolConfig) -> Self {
        Self::new(pool, AppClientConfig::new("web")).await
    }

    /// A client of the app, with its secret when it has one.
    pub(crate) fn client(&self) -> Client {
        let mut builder = Client::builder(&self.app.id)
            .endpoint(self.emulator.endpoint())
            .user_pool_id(self.pool.id());
        if let Some(secret) = &self.app.secret {
            builder = builder.client_secret(secret.as_str());
        }
        builder.build().unwrap()
    }

    /// One unsigned call: the HTTP status and the JSON body.
    pub(crate) async fn raw(&self, operation: &str, body: Value) -> (u16, Value) {
        let (status, text) =
            crate::common::cognito_call(self.emulator.endpoint(), operation, &body).await;
        (status, serde_json::from_str(&text).unwrap())
    }
}
