// Times amazon-cognito-identity-js on the inputs srp-bench passes (argv[2], JSON):
// a full PASSWORD_VERIFIER answer = new AuthenticationHelper (computes A) +
// getPasswordAuthenticationKey + the signature as CognitoUser.js builds it. Prints
// {"ms": median per answer, "key": HKDF key for the given a}.
'use strict';
const path = require('path');
const lib = path.join(__dirname, '..', '.oracles', 'identity-js', 'node_modules', 'amazon-cognito-identity-js');
const AuthenticationHelper = require(path.join(lib, 'lib', 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'lib', 'BigInteger.js')).default;
const { Sha256 } = require(require.resolve('@aws-crypto/sha256-js', { paths: [lib] }));

const input = JSON.parse(process.argv[2]);
const iterations = Number(process.argv[3] || 10);
const poolName = input.pool_id.split('_')[1];

function answer(a) {
  const helper = new AuthenticationHelper(poolName);
  if (a) {
    helper.smallAValue = new BigInteger(a, 16);
    helper.largeAValue = undefined;
    helper.getLargeAValue(() => {});
  }
  let key;
  helper.getPasswordAuthenticationKey(input.user_id, input.password, new BigInteger(input.srp_b, 16), new BigInteger(input.salt, 16), (err, hkdf) => {
    if (err) throw err;
    key = hkdf;
  });
  const mac = new Sha256(key);
  mac.update(Buffer.concat([Buffer.from(poolName), Buffer.from(input.user_id), Buffer.from(input.secret_block, 'base64'), Buffer.from(input.timestamp)]));
  return { key: Buffer.from(key).toString('hex'), signature: Buffer.from(mac.digestSync()).toString('base64') };
}

const check = answer(input.a);
answer();
const times = [];
for (let i = 0; i < iterations; i++) {
  const start = process.hrtime.bigint();
  answer();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((x, y) => x - y);
console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], ...check }));
