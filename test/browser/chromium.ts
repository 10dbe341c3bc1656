// Runs a built page in headless Chromium without Playwright: a static server on a loopback port
// serves the page with a small harness injected, which POSTs the page's <pre id="result"> back
// once the page marks it done (data-status) or a script fails. Waiting for that report, not for
// a fixed delay, keeps the test correct on a slow machine.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";

/** Debian's package (`apt-get install -y chromium`), or $CHROMIUM. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((c): c is string => c !== undefined && c !== "" && existsSync(c));
}

/** What the harness reports: the page's status and the text of #result. */
export interface PageReport {
  status: "done" | "error";
  text: string;
  crossOriginIsolated: boolean;
}

// Injected as the first thing in <head>, a classic script, so that it listens before the page's
// module is even fetched: "error" (captured) also catches a module that failed to load.
// Polling (not a MutationObserver) covers a result written before #result was observed.
const harness = `<script>
const report = (status, text) =>
  fetch("/__report", {
    method: "POST",
    body: JSON.stringify({ status, text, crossOriginIsolated: self.crossOriginIsolated === true }),
  });
addEventListener("error", (e) => report("error", String(e.message ?? e.target?.src ?? e)), true);
addEventListener("unhandledrejection", (e) => report("error", String(e.reason?.stack ?? e.reason)));
const poll = () => {
  const el = document.getElementById("result");
  if (el?.dataset.status) report(el.dataset.status, el.textContent);
  else setTimeout(poll, 20);
};
poll();
</script>`;

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

/**
 * Opens dir/index.html in headless Chromium and resolves with the page's report. `isolated`
 * serves it cross-origin isolated (COOP/COEP headers), where SharedArrayBuffer exists.
 */
export async function runPage(
  chromium: string,
  dir: string,
  options: { isolated: boolean; timeoutMs: number },
): Promise<PageReport> {
  let resolveReport!: (r: PageReport) => void;
  const reported = new Promise<PageReport>((r) => (resolveReport = r));

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "POST" && path === "/__report") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        res.end();
        resolveReport(JSON.parse(body) as PageReport);
      });
      return;
    }
    const file = join(dir, normalize(path === "/" ? "/index.html" : path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    };
    if (options.isolated) {
      headers["cross-origin-opener-policy"] = "same-origin";
      headers["cross-origin-embedder-policy"] = "require-corp";
    }
    let body: string | Buffer = readFileSync(file);
    if (extname(file) === ".html")
      body = body.toString("utf8").replace("<head>", `<head>${harness}`);
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  const profile = mkdtempSync(join(tmpdir(), "torchlet-chromium-"));
  const browser = spawn(
    chromium,
    [
      "--headless",
      "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      `http://127.0.0.1:${port}/index.html`,
    ],
    // Its own process group, so that stopping it also stops its renderer and helper processes.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  let stderr = "";
  browser.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((r) => browser.on("exit", (code) => r(code)));

  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      reported,
      exited.then((code) => {
        throw new Error(`chromium exited (${code}) before the page reported:\n${stderr}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no report after ${options.timeoutMs} ms:\n${stderr}`)),
          options.timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (browser.exitCode === null && browser.pid !== undefined) {
      process.kill(-browser.pid, "SIGTERM");
      await exited;
    }
    await new Promise((r) => server.close(r));
    rmSync(profile, { recursive: true, force: true });
  }
}
