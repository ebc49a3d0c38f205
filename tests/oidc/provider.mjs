// A real OpenID provider for the login tests: the certified Node implementation (npm
// `oidc-provider`), started by tests/oidc/conftest.py on a free port of 127.0.0.1.
//
//   node tests/oidc/provider.mjs '{"redirect_uris": [...], "klok": 0}'
//
// Prints "LUISTERT <port>" when ready. It serves several issuers under one port:
//
//   /goed     an ordinary provider.
//   /replay   a provider that misbehaves: every token response after the first carries the first
//             ID token it issued again (a replayed token with an old nonce).
//   /vals     a provider whose published keys (jwks_uri) are not the key it signs with (same key
//             id, another key): every signature it makes fails.
//   /anders   only a discovery document: the one of /goed under another issuer name, so the
//             ID tokens (iss = .../goed) do not come from the issuer the relying party expects.
//
// With "klok": -7200 the whole process runs two hours behind: every ID token it issues has
// expired before it arrives (the expired-token test starts a second process like that).
//
// The user logs in without a form: the authorization request carries `login_hint` (the account
// id) and, when the test wants the provider to assert multi-factor authentication, `mfa=1`
// (then amr = ["pwd", "otp"] and acr = "urn:kindkans:test:mfa", else amr = ["pwd"]).

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const opties = JSON.parse(process.argv[2] || '{}');
const redirectUris = opties.redirect_uris || ['http://testserver/inloggen/extern/terug/'];
const klok = Number(opties.klok || 0);
if (klok) {
  const echt = Date.now;
  Date.now = () => echt() + klok * 1000;
}

function sleutel(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

const echteSleutel = sleutel('sleutel-1');
const valseSleutel = sleutel('sleutel-1'); // the same key id, another key

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const basis = `http://127.0.0.1:${port}`;

const MFA = 'urn:kindkans:test:mfa';
const PWD = 'urn:kindkans:test:pwd';

function maakProvider(naam) {
  const provider = new Provider(`${basis}/${naam}`, {
    clients: [
      {
        client_id: 'kindkans',
        client_secret: 'kindkans-test-geheim',
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [echteSleutel] },
    pkce: { required: () => true },
    extraParams: ['mfa'],
    acrValues: [PWD, MFA],
    // acr and amr in every ID token, as providers that assert MFA do (not only on request).
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      sid: null,
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/${naam}/interaction/${interaction.uid}` },
    // Long enough that the provider's own cookies stay valid when its clock runs behind.
    ttl: { Interaction: 4 * 3600, Session: 8 * 3600, Grant: 8 * 3600 },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@school.example`, email_verified: true, name: id };
        },
      };
    },
  });
  provider.proxy = false;
  return provider;
}

const providers = {
  goed: maakProvider('goed'),
  replay: maakProvider('replay'),
  vals: maakProvider('vals'),
};

// The misbehaving one: remember the first ID token, hand it out again afterwards.
let eersteIdToken;
providers.replay.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.id_token) {
    if (eersteIdToken === undefined) {
      eersteIdToken = ctx.body.id_token;
    } else {
      ctx.body = { ...ctx.body, id_token: eersteIdToken };
    }
  }
});

async function formulier(req) {
  let body = '';
  for await (const deel of req) body += deel;
  return new URLSearchParams(body);
}

// The provider's own login page, for a real browser (the browser test): account + a checkbox
// "met tweede factor". Requests from the httpx tests carry login_hint and skip it.
function loginPagina(res, uid, naam) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="nl"><head><title>Testprovider</title></head><body>
<form method="post" action="/${naam}/interaction/${uid}">
<label>Account <input name="account"></label>
<label><input type="checkbox" name="mfa" value="1"> met tweede factor</label>
<button type="submit">Inloggen bij de testprovider</button></form></body></html>`);
}

async function interactie(provider, naam, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { params, prompt, uid } = details;
  let accountId = details.session?.accountId || params.login_hint;
  let mfa = params.mfa === '1';
  if (!accountId && req.method === 'POST') {
    const velden = await formulier(req);
    accountId = velden.get('account');
    mfa = velden.get('mfa') === '1';
  }
  if (!accountId) {
    loginPagina(res, uid, naam);
    return;
  }
  const resultaat = {};
  if (prompt.name === 'login') {
    resultaat.login = { accountId, amr: mfa ? ['pwd', 'otp'] : ['pwd'], acr: mfa ? MFA : PWD };
  }
  const grant = new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  resultaat.consent = { grantId: await grant.save() };
  await provider.interactionFinished(req, res, resultaat, { mergeWithLastSubmission: false });
}

function json(res, data) {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

async function discovery(naam) {
  const antwoord = await fetch(`${basis}/goed/.well-known/openid-configuration`);
  const doc = await antwoord.json();
  return { ...doc, issuer: `${basis}/anders` };
}

server.on('request', async (req, res) => {
  try {
    const pad = new URL(req.url, basis).pathname;
    const [, naam, ...rest] = pad.split('/');
    if (naam === 'anders' && rest.join('/') === '.well-known/openid-configuration') {
      json(res, await discovery(naam));
      return;
    }
    if (naam === 'vals' && rest.join('/') === 'jwks') {
      const { d, p, q, dp, dq, qi, ...publiek } = valseSleutel;
      json(res, { keys: [publiek] });
      return;
    }
    const provider = providers[naam];
    if (!provider) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (rest[0] === 'interaction') {
      await interactie(provider, naam, req, res);
      return;
    }
    // Mounted under /<naam>: oidc-provider derives its mount path from originalUrl.
    req.originalUrl = req.url;
    req.url = req.url.slice(naam.length + 1) || '/';
    provider.callback()(req, res);
  } catch (fout) {
    console.error(fout);
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(fout));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(`LUISTERT ${port}`);
