// Generates SRP cases with amazon-cognito-identity-js (installed by install-oracles.sh)
// for tests/tests/crosscheck.rs: fresh random a, b, salts (negative and high-bit ones
// included), non-ASCII passwords, timestamps on days 1-9 and 10-31, and device
// verifiers from generateHashDevice. Usage: node srp-crosscheck.js OUT.json [COUNT]
'use strict';
const path = require('path');
const crypto = require('crypto');
const fs = require('fs');

const lib = path.join(__dirname, '..', '.oracles', 'identity-js', 'node_modules', 'amazon-cognito-identity-js');
const AuthenticationHelper = require(path.join(lib, 'lib', 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'lib', 'BigInteger.js')).default;
const DateHelper = require(path.join(lib, 'lib', 'DateHelper.js')).default;
const { Sha256 } = require(require.resolve('@aws-crypto/sha256-js', { paths: [lib] }));

const [out, countArg] = process.argv.slice(2);
const count = Number(countArg || 120);

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const randomInt = (below) => crypto.randomInt(below);
const pick = (items) => items[randomInt(items.length)];
const promisify = (fn) => new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

// Strings mixing ASCII, accented Latin, Greek, CJK and astral characters (emoji).
function randomText(min, max) {
  const alphabets = ['abcXYZ019!@#:_-', 'éüßøñç', 'αβγδΩ', '日本語中文한국', '🔐🙂𝔘'];
  const length = min + randomInt(max - min + 1);
  let text = '';
  for (let i = 0; i < length; i++) text += pick([...pick(alphabets)]);
  return text;
}

// SALT as Cognito might send it: short or long, sometimes with the top bit set,
// sometimes negative (pycognito#14), sometimes with an odd number of digits.
function randomSalt(i) {
  let digits = hex(crypto.randomBytes(1 + randomInt(32))).replace(/^0+/, '') || '1';
  if (i % 4 === 1) digits = '8' + digits.slice(1);
  if (i % 5 === 2) digits = digits.slice(1) || '7';
  return i % 3 === 0 ? '-' + digits : digits;
}

// Runs DateHelper.getNowString() at a chosen instant; day-of-month alternates between
// 1-9 and 10-31.
function timestampAt(i) {
  const year = 2000 + randomInt(60);
  const month = randomInt(12);
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = i % 2 === 0 ? 1 + randomInt(9) : 10 + randomInt(lastDay - 9);
  const millis = Date.UTC(year, month, day, randomInt(24), randomInt(60), randomInt(60));
  const RealDate = global.Date;
  global.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [millis]));
    }
  };
  try {
    return { epoch: millis / 1000, timestamp: new DateHelper().getNowString() };
  } finally {
    global.Date = RealDate;
  }
}

// The signature exactly as CognitoUser.js builds it.
function signature(key, poolName, userId, secretBlock, timestamp) {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  const mac = new Sha256(key);
  mac.update(message);
  return Buffer.from(mac.digestSync()).toString('base64');
}

// One PASSWORD_VERIFIER computation with a helper for `poolName`.
async function answer(helper, userId, password, poolName, salt, i) {
  const a = hex(crypto.randomBytes(128));
  helper.smallAValue = new BigInteger(a, 16);
  helper.largeAValue = undefined;
  const big_a = await promisify((cb) => helper.getLargeAValue(cb));
  const b = hex(crypto.randomBytes(128));
  const srp_b = await promisify((cb) => helper.g.modPow(new BigInteger(b, 16), helper.N, cb));
  const key = await promisify((cb) =>
    helper.getPasswordAuthenticationKey(userId, password, srp_b, new BigInteger(salt, 16), cb),
  );
  const secret_block = crypto.randomBytes(16 + randomInt(64)).toString('base64');
  const { epoch, timestamp } = timestampAt(i);
  return {
    a,
    srp_a: big_a.toString(16),
    srp_b: srp_b.toString(16),
    salt,
    secret_block,
    epoch,
    timestamp,
    key: hex(key),
    signature: signature(key, poolName, userId, secret_block, timestamp),
  };
}

async function main() {
  const users = [];
  for (let i = 0; i < count; i++) {
    const poolName = pick(['AbCdEfGh1', 'Zz9yY8xX7', 'q1W2e3R4t']) + randomInt(10);
    const userId = i % 2 === 0 ? crypto.randomUUID() : randomText(1, 12);
    const password = randomText(1, 40);
    const helper = new AuthenticationHelper(poolName);
    users.push({ pool_name: poolName, user_id: userId, password, ...(await answer(helper, userId, password, poolName, randomSalt(i), i)) });
  }
  const devices = [];
  for (let i = 0; i < Math.max(30, count / 4); i++) {
    const groupKey = '-' + crypto.randomBytes(6).toString('base64url');
    const deviceKey = 'us-east-1_' + crypto.randomUUID();
    const registrar = new AuthenticationHelper('ignored');
    await promisify((cb) => registrar.generateHashDevice(groupKey, deviceKey, cb));
    const password = registrar.getRandomPassword();
    const salt = registrar.getSaltDevices();
    // Signing in with the device: the helper is built with the device group key
    // (CognitoUser.getDeviceResponse), the user id is the device key.
    const helper = new AuthenticationHelper(groupKey);
    devices.push({
      device_group_key: groupKey,
      device_key: deviceKey,
      device_password: password,
      salt_padded_hex: salt,
      verifier_padded_hex: registrar.getVerifierDevices(),
      sign_in: await answer(helper, deviceKey, password, groupKey, salt, i),
    });
  }
  fs.writeFileSync(out, JSON.stringify({ users, devices }, null, 1));
  console.error(`wrote ${users.length} user and ${devices.length} device cases to ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
