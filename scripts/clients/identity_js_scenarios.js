// Sign-in scenarios driven by amazon-cognito-identity-js (SRP, custom auth, MFA,
// device remember), against a Cognito-compatible server. Provisions with unsigned admin
// calls (the emulator and moto take them), prints one JSON line per scenario like
// pycognito_scenarios.py, and with --strict exits 1 when any differs from Cognito.
//
// Usage: node identity_js_scenarios.js --server NAME --endpoint URL
//          [--outbox URL | --code CODE] [--custom-pool ID --custom-client ID] [--strict]
'use strict';
const crypto = require('crypto');
const path = require('path');
const {
  CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute,
} = require(path.join(__dirname, '../../.oracles/identity-js/node_modules/amazon-cognito-identity-js'));

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args[key] = true;
  else { args[key] = next; i++; }
}
const PASSWORD = 'Corr3ct-horse!';

async function admin(operation, body) {
  const response = await fetch(args.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${operation}: ${answer.__type}: ${answer.message}`);
  return answer;
}

// RFC 6238, SHA-1, 6 digits, 30 s: what an authenticator app shows.
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.toUpperCase().replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const digest = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0xf;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function lastCode(username) {
  // A server without an outbox may send one fixed code (cognito-local's CODE).
  if (!args.outbox) return args.code || null;
  const messages = await (await fetch(`${args.outbox}?username=${encodeURIComponent(username)}`)).json();
  return messages.length ? messages[messages.length - 1].code : null;
}

let serial = 0;
async function setup({ mfa = 'OFF', devices = false } = {}) {
  const body = { PoolName: `identity-js-${++serial}`, MfaConfiguration: mfa };
  if (devices) body.DeviceConfiguration = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false };
  const poolId = (await admin('CreateUserPool', body)).UserPool.Id;
  const clientId = (await admin('CreateUserPoolClient', {
    UserPoolId: poolId, ClientName: 'identity-js',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  return { poolId, clientId };
}

async function user({ poolId }, name, attributes = []) {
  await admin('AdminCreateUser', {
    UserPoolId: poolId, Username: name, TemporaryPassword: 'Temp0rary-pass!', MessageAction: 'SUPPRESS',
    UserAttributes: attributes,
  });
  await admin('AdminSetUserPassword', { UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true });
}

function cognitoUser({ poolId, clientId }, name) {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: args.endpoint });
  return new CognitoUser({ Username: name, Pool: pool });
}

// Resolves with what a callback-style call answers: its result, or its error's code.
function settle(start) {
  return new Promise((resolve) => start((err, result) => resolve(err ? (err.code || err.name) : result)));
}

// A user signed up (unconfirmed) with an e-mail address; its name is unique per run.
async function signedUp(s, prefix) {
  const name = `${prefix}${++serial}`;
  const pool = new CognitoUserPool({ UserPoolId: s.poolId, ClientId: s.clientId, endpoint: args.endpoint });
  const email = [new CognitoUserAttribute({ Name: 'email', Value: `${name}@example.com` })];
  const answer = await settle((done) => pool.signUp(name, PASSWORD, email, null, done));
  if (typeof answer === 'string') throw new Error(`signUp: ${answer}`);
  return name;
}

const NEW_PASSWORD = 'N3w-and-secret!';

// Runs authenticateUser; `answers` handle the challenges the library surfaces. Resolves
// with a string: 'tokens', the error code, or what was asked that no answer handled.
function signIn(cognito, password, answers = {}) {
  return new Promise((resolve) => {
    const asked = [];
    const callbacks = {
      onSuccess: (session) => resolve({ result: 'tokens', asked, session }),
      onFailure: (err) => resolve({ result: err.code || err.name || String(err), asked }),
    };
    for (const name of ['mfaRequired', 'totpRequired', 'customChallenge', 'newPasswordRequired', 'mfaSetup', 'selectMFAType']) {
      callbacks[name] = (...params) => {
        asked.push(name);
        if (answers[name]) answers[name](callbacks, ...params);
        else resolve({ result: `unanswered ${name}`, asked });
      };
    }
    cognito.authenticateUser(new AuthenticationDetails({ Username: cognito.getUsername(), Password: password }), callbacks);
  });
}

const scenarios = [
  ['srp_sign_in', 'tokens', async () => {
    const s = await setup();
    await user(s, 'alice');
    return (await signIn(cognitoUser(s, 'alice'), PASSWORD)).result;
  }],
  ['wrong_password', 'NotAuthorizedException', async () => {
    const s = await setup();
    await user(s, 'alice');
    return (await signIn(cognitoUser(s, 'alice'), 'Wr0ng-password!')).result;
  }],
  ['custom_auth_after_srp', 'customChallenge, customChallenge, tokens', async () => {
    if (!args['custom-pool']) return 'n/a: no custom-auth triggers on this server';
    const cognito = cognitoUser({ poolId: args['custom-pool'], clientId: args['custom-client'] }, 'carol');
    cognito.setAuthenticationFlowType('CUSTOM_AUTH');
    let tries = 0;
    const outcome = await signIn(cognito, PASSWORD, {
      customChallenge: (callbacks, parameters) => {
        if (!parameters.question) return callbacks.onFailure({ code: 'no question parameter' });
        cognito.sendCustomChallengeAnswer(tries++ === 0 ? 'wrong' : '42', callbacks);
      },
    });
    return [...outcome.asked, outcome.result].join(', ');
  }],
  ['sms_mfa', 'mfaRequired, tokens', async () => {
    if (!args.outbox) return 'n/a: no outbox to read the code from';
    const s = await setup({ mfa: 'OPTIONAL' });
    await user(s, 'sam', [{ Name: 'phone_number', Value: '+15555550123' }]);
    await admin('AdminSetUserMFAPreference', {
      UserPoolId: s.poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const cognito = cognitoUser(s, 'sam');
    const outcome = await signIn(cognito, PASSWORD, {
      mfaRequired: async (callbacks) => cognito.sendMFACode(await lastCode('sam'), callbacks),
    });
    return [...outcome.asked, outcome.result].join(', ');
  }],
  ['sms_mfa_wrong_code_then_right', 'mfaRequired, CodeMismatchException, tokens', async () => {
    if (!args.outbox) return 'n/a: no outbox to read the code from';
    const s = await setup({ mfa: 'OPTIONAL' });
    await user(s, 'sal', [{ Name: 'phone_number', Value: '+15555550124' }]);
    await admin('AdminSetUserMFAPreference', {
      UserPoolId: s.poolId, Username: 'sal', SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const cognito = cognitoUser(s, 'sal');
    const refused = [];
    const outcome = await signIn(cognito, PASSWORD, {
      // A mistyped code, then the right one with the same CognitoUser (the same Session).
      mfaRequired: async (callbacks) => {
        const code = await lastCode('sal');
        const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
        cognito.sendMFACode(wrong, {
          ...callbacks,
          onFailure: (err) => {
            refused.push(err.code || err.name);
            cognito.sendMFACode(code, callbacks);
          },
        });
      },
    });
    return [...outcome.asked, ...refused, outcome.result].join(', ');
  }],
  ['sign_up_wrong_code_then_confirm', 'CodeMismatchException, SUCCESS, tokens', async () => {
    if (!args.outbox && !args.code) return 'n/a: no outbox to read the code from';
    const s = await setup();
    const name = await signedUp(s, 'signup');
    const cognito = cognitoUser(s, name);
    const wrong = await settle((done) => cognito.confirmRegistration('000000', true, done));
    const code = await lastCode(name);
    const right = await settle((done) => cognito.confirmRegistration(code, true, done));
    return [wrong, right, (await signIn(cognitoUser(s, name), PASSWORD)).result].join(', ');
  }],
  ['forgot_password', 'CodeMismatchException, SUCCESS, tokens', async () => {
    if (!args.outbox && !args.code) return 'n/a: no outbox to read the code from';
    const s = await setup();
    await user(s, 'fay', [{ Name: 'email', Value: 'fay@example.com' }]);
    const cognito = cognitoUser(s, 'fay');
    const sent = await new Promise((resolve) => cognito.forgotPassword({
      onSuccess: () => resolve('sent'), onFailure: (e) => resolve(e.code || e.name), inputVerificationCode: () => resolve('sent'),
    }));
    if (sent !== 'sent') return `forgotPassword: ${sent}`;
    const confirm = (code) => new Promise((resolve) => cognito.confirmPassword(code, NEW_PASSWORD, {
      onSuccess: (r) => resolve(r), onFailure: (e) => resolve(e.code || e.name),
    }));
    const wrong = await confirm('000000');
    const right = await confirm(await lastCode('fay'));
    return [wrong, right, (await signIn(cognitoUser(s, 'fay'), NEW_PASSWORD)).result].join(', ');
  }],
  ['change_password', 'SUCCESS, tokens', async () => {
    const s = await setup();
    await user(s, 'cole');
    const cognito = cognitoUser(s, 'cole');
    const first = await signIn(cognito, PASSWORD);
    if (first.result !== 'tokens') return `sign-in: ${first.result}`;
    const changed = await settle((done) => cognito.changePassword(PASSWORD, NEW_PASSWORD, done));
    return [changed, (await signIn(cognitoUser(s, 'cole'), NEW_PASSWORD)).result].join(', ');
  }],
  ['global_sign_out', 'SUCCESS, NotAuthorizedException', async () => {
    const s = await setup();
    await user(s, 'gus');
    const cognito = cognitoUser(s, 'gus');
    const first = await signIn(cognito, PASSWORD);
    if (first.result !== 'tokens') return `sign-in: ${first.result}`;
    const refresh = first.session.getRefreshToken();
    const out = await new Promise((resolve) => cognito.globalSignOut({
      onSuccess: (r) => resolve(r), onFailure: (e) => resolve(e.code || e.name),
    }));
    const again = await settle((done) => cognitoUser(s, 'gus').refreshSession(refresh, done));
    return [out, typeof again === 'string' ? again : 'tokens'].join(', ');
  }],
  ['totp_mfa', 'totpRequired, tokens', async () => {
    const s = await setup({ mfa: 'OPTIONAL' });
    await user(s, 'tom');
    const first = await signIn(cognitoUser(s, 'tom'), PASSWORD);
    if (first.result !== 'tokens') return `first sign-in: ${first.result}`;
    const access = first.session.getAccessToken().getJwtToken();
    const { SecretCode } = await admin('AssociateSoftwareToken', { AccessToken: access });
    await admin('VerifySoftwareToken', { AccessToken: access, UserCode: totp(SecretCode) });
    await admin('SetUserMFAPreference', {
      AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const cognito = cognitoUser(s, 'tom');
    const outcome = await signIn(cognito, PASSWORD, {
      totpRequired: (callbacks) => cognito.sendMFACode(totp(SecretCode), callbacks, 'SOFTWARE_TOKEN_MFA'),
    });
    return [...outcome.asked, outcome.result].join(', ');
  }],
  ['device_remembered_skips_mfa', 'totpRequired, tokens; then tokens with device_key', async () => {
    const s = await setup({ mfa: 'OPTIONAL', devices: true });
    await user(s, 'dee');
    const enrol = await signIn(cognitoUser(s, 'dee'), PASSWORD);
    if (enrol.result !== 'tokens') return `enrol: ${enrol.result}`;
    const access = enrol.session.getAccessToken().getJwtToken();
    const { SecretCode } = await admin('AssociateSoftwareToken', { AccessToken: access });
    await admin('VerifySoftwareToken', { AccessToken: access, UserCode: totp(SecretCode) });
    await admin('SetUserMFAPreference', {
      AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    // The enrolment sign-in's device was confirmed but is not trusted to skip MFA for
    // a new factor: forget it, so the MFA sign-in below registers the device to keep.
    const forgetter = cognitoUser(s, 'dee');
    forgetter.signInUserSession = enrol.session;
    forgetter.getCachedDeviceKeyAndPassword();
    await new Promise((resolve) => forgetter.forgetDevice({ onSuccess: resolve, onFailure: resolve }));
    const cognito = cognitoUser(s, 'dee');
    const mfa = await signIn(cognito, PASSWORD, {
      totpRequired: (callbacks) => cognito.sendMFACode(totp(SecretCode), callbacks, 'SOFTWARE_TOKEN_MFA'),
    });
    // Same storage, new user object: the library sends DEVICE_KEY and answers
    // DEVICE_SRP_AUTH itself.
    const again = await signIn(cognitoUser(s, 'dee'), PASSWORD);
    const claims = again.session ? again.session.getAccessToken().decodePayload() : {};
    const device = claims.device_key ? ' with device_key' : ' without device_key';
    return `${[...mfa.asked, mfa.result].join(', ')}; then ${[...again.asked, again.result].join(', ')}${again.result === 'tokens' ? device : ''}`;
  }],
];

(async () => {
  let failed = 0;
  for (const [scenario, expected, run] of scenarios) {
    let got;
    try { got = await run(); } catch (e) { got = `error: ${e.message}`.slice(0, 200); }
    if (got !== expected) failed++;
    console.log(JSON.stringify({ client: 'amazon-cognito-identity-js', server: args.server, scenario, expected, got }));
  }
  if (args.strict && failed) {
    console.error(`${failed} scenario(s) differ from Cognito on ${args.server}`);
    process.exit(1);
  }
})();
