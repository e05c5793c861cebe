// How long a sign-in takes against how long a cheap agent request takes, under wrangler
// dev: the difference is one PBKDF2-SHA256 hash of 100,000 iterations (scripts/bench-login).
import { startWorker, login, api, AGENTS } from "../../tests/e2e/harness.mjs";
const w = await startWorker();
try {
  const ana = await login(w.base, AGENTS[0]);
  const time = async (f, n = 20) => { const t = []; for (let i = 0; i < n; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); } t.sort((a, b) => a - b); return t[Math.floor(n / 2)]; };
  const signIn = await time(() => login(w.base, AGENTS[0]));
  const cheap = await time(() => api(w.base, "GET", "/api/agents", { token: ana.token }));
  console.log(`median sign-in ${signIn.toFixed(1)} ms, median GET /api/agents ${cheap.toFixed(1)} ms, so one PBKDF2-SHA256 (100,000 iterations) ~ ${(signIn - cheap).toFixed(1)} ms under wrangler dev`);
} finally { await w.stop(); }
