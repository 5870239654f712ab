const fastify = require('fastify')({ logger: false });
fastify.get('/wait', async () => { await new Promise((r) => setTimeout(r, 50)); return { ok: true }; });
fastify.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
