'use strict';
// Fastify peer of the dashboard gateway (examples/gateway/gateway.apic):
// GET /dashboard?limit=N (1..20, default 5) makes three upstream calls at
// once (undici pools with keep-alive, Promise.all), checks each answer
// against the upstream's schema (ajv, as the generated C client does with
// apic's decoders) and answers the Dashboard; 502 and 504 as RFC 9457
// problem details, 422 for a bad limit. Listens on 127.0.0.1.
//
// start: node peers/fastify-gateway.js [--port] PORT
// environment (see bench/gateway/README.md):
//   PETSTORE_URL, CONDUIT_URL   the upstreams' API roots (http://host:port/v1, .../api)
//   PETSTORE_TOKEN              the pet store's bearer token
//   CONDUIT_TOKEN               the Conduit account's JWT
//   UPSTREAM_TIMEOUT_MS [1000]  an upstream call that takes longer: 504
//   UPSTREAM_CONNECTIONS [512]  keep-alive connections per upstream at most
const Fastify = require('fastify');
const { Pool, errors: undiciErrors } = require('undici');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const args = process.argv.slice(2);
const port = Number((args[0] === '--port' ? args[1] : args[0]) ?? process.env.PORT ?? 0);
function env(name, dflt) {
  const v = process.env[name] ?? dflt;
  if (v === undefined) {
    console.error(`fastify-gateway: ${name} is not set`);
    process.exit(2);
  }
  return v;
}
const petstoreUrl = new URL(env('PETSTORE_URL'));
const conduitUrl = new URL(env('CONDUIT_URL'));
const petstoreAuth = `Bearer ${env('PETSTORE_TOKEN')}`;
const conduitAuth = `Token ${env('CONDUIT_TOKEN')}`;
const timeoutMs = Number(env('UPSTREAM_TIMEOUT_MS', '1000'));
const connections = Number(env('UPSTREAM_CONNECTIONS', '512'));

// One pool per upstream, as they would be two hosts.
const poolOptions = {
  connections,
  pipelining: 1,
  keepAliveTimeout: 30_000,
  headersTimeout: timeoutMs,
  bodyTimeout: timeoutMs,
};
const petstore = new Pool(petstoreUrl.origin, poolOptions);
const conduit = new Pool(conduitUrl.origin, poolOptions);
const petstoreBase = petstoreUrl.pathname.replace(/\/$/, '');
const conduitBase = conduitUrl.pathname.replace(/\/$/, '');

// ---- the upstreams' contracts (schemas/petstore.apic, schemas/conduit.apic)
const ajv = new Ajv({ allErrors: false });
addFormats(ajv, ['date-time']);
const str = { type: 'string' };
const pet = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'status'],
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^<>]*$' },
    tag: { type: 'string', minLength: 1, maxLength: 32 },
    status: { enum: ['available', 'pending', 'sold'] },
  },
};
const profile = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'bio', 'image', 'following'],
  properties: { username: str, bio: str, image: str, following: { type: 'boolean' } },
};
const articleListItem = {
  type: 'object',
  additionalProperties: false,
  required: ['slug', 'title', 'description', 'tagList', 'createdAt', 'updatedAt',
    'favorited', 'favoritesCount', 'author'],
  properties: {
    slug: str,
    title: str,
    description: str,
    tagList: { type: 'array', items: str },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    favorited: { type: 'boolean' },
    favoritesCount: { type: 'integer' },
    author: profile,
  },
};
const checkPets = ajv.compile({ type: 'array', items: pet });
const checkArticles = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['articles', 'articlesCount'],
  properties: { articles: { type: 'array', items: articleListItem }, articlesCount: { type: 'integer' } },
});
const checkTags = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['tags'],
  properties: { tags: { type: 'array', items: str } },
});

// An upstream failure: the status and detail of the problem answered.
class UpstreamError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

const timeouts = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

// GET path on pool, with the credential when there is one; the JSON body
// checked by check.
async function call(pool, what, path, authorization, check) {
  const headers = authorization ? { authorization, accept: 'application/json' } : { accept: 'application/json' };
  let res;
  try {
    res = await pool.request({ method: 'GET', path, headers });
  } catch (err) {
    if (timeouts.has(err.code)) throw new UpstreamError(504, `${what}: no answer within ${timeoutMs} ms`);
    throw new UpstreamError(502, `${what}: unreachable (${err.code || err.message})`);
  }
  let body;
  try {
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new UpstreamError(502, `${what}: answered ${res.statusCode}`);
    }
    body = await res.body.json();
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    if (timeouts.has(err.code)) throw new UpstreamError(504, `${what}: no answer within ${timeoutMs} ms`);
    throw new UpstreamError(502, `${what}: the body is not JSON`);
  }
  if (!check(body)) {
    const e = check.errors[0];
    throw new UpstreamError(502, `${what}: off contract at '${e.instancePath || '/'}': ${e.message}`);
  }
  return body;
}

function problem(reply, status, title, detail) {
  return reply.code(status).type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

const app = Fastify({ logger: false });
app.setErrorHandler((err, req, reply) => {
  if (err.validation) {
    const v = err.validation[0];
    return problem(reply, 422, 'Unprocessable Content', `query ${v.instancePath.slice(1)}: ${v.message}`);
  }
  return problem(reply, 500, 'Internal Server Error', 'internal error');
});

const petSummary = {
  type: 'object',
  required: ['id', 'name', 'status'],
  properties: { id: { type: 'integer' }, name: str, tag: str, status: str },
};
const articleSummary = {
  type: 'object',
  required: ['slug', 'title', 'description', 'tagList', 'createdAt', 'favoritesCount', 'author'],
  properties: {
    slug: str, title: str, description: str, tagList: { type: 'array', items: str },
    createdAt: str, favoritesCount: { type: 'integer' }, author: str,
  },
};

app.get('/dashboard', {
  schema: {
    querystring: {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1, maximum: 20, default: 5 } },
    },
    response: {
      200: {
        type: 'object',
        required: ['pets', 'articles', 'tags'],
        properties: {
          pets: { type: 'array', items: petSummary },
          articles: { type: 'array', items: articleSummary },
          tags: { type: 'array', items: str },
        },
      },
    },
  },
}, async (req, reply) => {
  const { limit } = req.query;
  let pets, articles, tags;
  try {
    [pets, articles, tags] = await Promise.all([
      call(petstore, 'petstore listPets', `${petstoreBase}/pets?limit=${limit}`, petstoreAuth, checkPets),
      call(conduit, 'conduit GetArticles', `${conduitBase}/articles?limit=${limit}`, conduitAuth, checkArticles),
      call(conduit, 'conduit GetTags', `${conduitBase}/tags`, null, checkTags),
    ]);
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    return problem(reply, err.status, err.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', err.message);
  }
  return {
    pets: pets.map(({ id, name, tag, status }) => ({ id, name, tag, status })),
    articles: articles.articles.map((a) => ({
      slug: a.slug,
      title: a.title,
      description: a.description,
      tagList: a.tagList,
      createdAt: a.createdAt,
      favoritesCount: a.favoritesCount,
      author: a.author.username,
    })),
    tags: tags.tags,
  };
});

app.listen({ host: '127.0.0.1', port, backlog: 1024 }).then(() => {
  console.log(`listening ${app.server.address().port}`);
}, (err) => {
  console.error(err);
  process.exit(1);
});
