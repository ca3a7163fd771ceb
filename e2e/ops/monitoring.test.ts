/**
 * The monitoring profile with Debian's own tools (`prometheus`, `prometheus-alertmanager`):
 * rule files and their unit tests through promtool, the rendered Alertmanager configuration
 * through amtool, and a real Prometheus scraping the built backend's metrics port on loopback
 * and answering a P99 query, with every dashboard and rule expression evaluated by it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '../support/nginx.js';
import { startStack, type Stack } from '../support/stack.js';

const execFileAsync = promisify(execFile);
const monitoring = path.join(repoRoot, 'monitoring');
const prometheusDir = path.join(monitoring, 'prometheus');
const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

let workDir: string;
/** The compose file mounts the folder at /etc/prometheus and a tmpfs at /run/hintbook. */
const localPaths = (config: string) =>
  config
    .replaceAll('/etc/prometheus/', `${prometheusDir}/`)
    .replaceAll('/run/hintbook/', `${workDir}/`);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-monitoring-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('alert rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await execFileAsync(
      'promtool',
      ['check', 'rules', 'rules.yml', 'alerts.yml'],
      {
        cwd: prometheusDir,
      },
    );
    expect(stdout).toContain('SUCCESS: 12 rules found');
  });

  it('pass their promtool unit tests (alerts fire on broken series, stay quiet on healthy ones)', async () => {
    const { stdout } = await execFileAsync('promtool', ['test', 'rules', 'alerts.test.yml'], {
      cwd: prometheusDir,
    });
    expect(stdout).toContain('SUCCESS');
  });

  it('cover each alert the operations requirements name', () => {
    const rules = yaml.load(readFileSync(path.join(prometheusDir, 'alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert: string }> }>;
    };
    const names = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(names).toEqual(
      expect.arrayContaining([
        'HintbookDown', // unreachable for more than 2 minutes
        'HintbookHighErrorRate', // error rate above 5 % for 5 minutes
        'HintbookPrimaryProviderUnavailable',
        'HintbookDatabaseDown',
        'HintbookSlowResponses', // above 150 % of baseline
        'HintbookHighCpu', // CPU above 80 % for 10 minutes
        'HintbookHighMemory', // memory above 80 % for 10 minutes
        'HintbookDailyCostHigh', // daily cost above 150 % of expected
      ]),
    );
  });

  it('and the Prometheus configuration pass promtool check config', async () => {
    // promtool wants the token file to exist; start.sh writes it when the container starts.
    await writeFile(path.join(workDir, 'metrics-token'), '');
    const file = path.join(workDir, 'prometheus.yml');
    await writeFile(
      file,
      localPaths(readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8')),
    );
    const { stdout } = await execFileAsync('promtool', ['check', 'config', file]);
    expect(stdout).toContain('SUCCESS');
  });
});

describe('Alertmanager configuration rendered from .env', () => {
  const render = async (env: Record<string, string>) => {
    const out = path.join(workDir, `alertmanager-${Object.keys(env).length}.yml`);
    await execFileAsync('sh', [path.join(monitoring, 'alertmanager', 'render.sh'), out], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    return out;
  };

  it('passes amtool check-config with no receiver, a webhook, and webhook plus email', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { ALERT_WEBHOOK_URL: 'https://hooks.example.org/hintbook' },
      {
        ALERT_WEBHOOK_URL: 'https://hooks.example.org/hintbook',
        ALERT_EMAIL_TO: 'ops@school.example.org',
        ALERT_SMTP_SMARTHOST: 'smtp.example.org:587',
        ALERT_SMTP_USERNAME: 'alerts',
        ALERT_SMTP_PASSWORD: 'a "quoted" \\ password',
      },
    ];
    for (const env of cases) {
      const file = await render(env);
      const { stdout } = await execFileAsync('amtool', ['check-config', file]);
      expect(stdout, JSON.stringify(env)).toContain('SUCCESS');
      const parsed = yaml.load(readFileSync(file, 'utf8')) as {
        receivers: Array<Record<string, Array<Record<string, unknown>>>>;
      };
      const [receiver] = parsed.receivers;
      if ('ALERT_WEBHOOK_URL' in env)
        expect(receiver?.webhook_configs?.[0]?.url).toBe(env.ALERT_WEBHOOK_URL);
      if ('ALERT_SMTP_PASSWORD' in env)
        expect(receiver?.email_configs?.[0]?.auth_password).toBe(env.ALERT_SMTP_PASSWORD);
    }
  });

  it('refuses an email address without a mail server', async () => {
    await expect(render({ ALERT_EMAIL_TO: 'ops@school.example.org' })).rejects.toThrow(
      /ALERT_SMTP_SMARTHOST/,
    );
  });
});

describe("Debian's Prometheus scraping the built backend on loopback", () => {
  const METRICS_TOKEN = 'monitoring-e2e-token-0123456789abcdef';
  let stack: Stack;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let metricsPort: number;
  let prometheusLog = '';

  beforeAll(async () => {
    metricsPort = await freePort();
    stack = await startStack({
      env: { METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1', METRICS_TOKEN },
    });
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    // The repository's configuration with loopback in place of compose's DNS and Alertmanager,
    // and a second job, the same without the token, which the backend must refuse.
    const repoConfig = yaml.load(
      localPaths(readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8')),
    ) as { rule_files: string[]; scrape_configs: Array<Record<string, unknown>> };
    const { dns_sd_configs: _dns, ...hintbookJob } = repoConfig.scrape_configs.find(
      (job) => job.job_name === 'hintbook',
    )!;
    const onLoopback: Record<string, unknown> = {
      ...hintbookJob,
      static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }],
    };
    expect(onLoopback.authorization).toMatchObject({ type: 'Bearer' });
    const { authorization: _token, ...withoutToken } = onLoopback;
    const config = path.join(workDir, 'scrape.yml');
    await writeFile(
      config,
      yaml.dump({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: repoConfig.rule_files,
        scrape_configs: [onLoopback, { ...withoutToken, job_name: 'hintbook_without_token' }],
      }),
    );
    // Started as compose starts it: start.sh writes METRICS_TOKEN where the job reads it.
    prometheus = spawn(
      'sh',
      [
        path.join(prometheusDir, 'start.sh'),
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(workDir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          PROMETHEUS_BIN,
          METRICS_TOKEN,
          METRICS_TOKEN_FILE: path.join(workDir, 'metrics-token'),
        },
      },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    await until(async () => (await fetch(`${prometheusUrl}/-/ready`)).ok, 'Prometheus ready');
  }, 90_000);
  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await stack?.stop();
  });

  async function query(expr: string) {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await response.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
  }

  it('is not served through nginx', async () => {
    const response = await fetch(`${stack.baseUrl}/metrics`);
    expect(await response.text()).not.toContain('hintbook_http_request_duration_seconds');
  });

  it('answers a P99 query over the requests it scraped', async () => {
    for (let i = 0; i < 20; i++) expect((await fetch(`${stack.baseUrl}/api/health`)).ok).toBe(true);
    const p99 =
      'histogram_quantile(0.99, sum by (le) (rate(hintbook_http_request_duration_seconds_bucket{route="/api/health"}[1m])))';
    // A rate needs the counter to grow between two scrapes: keep requesting while waiting.
    const result = await until(async () => {
      expect((await fetch(`${stack.baseUrl}/api/health`)).ok).toBe(true);
      const answer = await query(p99);
      const value = Number(answer.data.result[0]?.value[1]);
      return Number.isFinite(value) && value > 0 ? value : undefined;
    }, 'a P99 from Prometheus');
    // Buckets end at 10 s; a health check on loopback lands far below that.
    expect(result).toBeLessThan(10);
    const up = await query('up{job="hintbook"}');
    expect(up.data.result[0]?.value[1]).toBe('1');
  }, 60_000);

  it('scrapes with METRICS_TOKEN from the environment, and a scrape without it is refused', async () => {
    const targets = await until(async () => {
      const answer = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ scrapePool: string; health: string; lastError: string }> };
      };
      const byJob = new Map(answer.data.activeTargets.map((target) => [target.scrapePool, target]));
      const scraped = [...byJob.values()].every((target) => target.health !== 'unknown');
      return byJob.size === 2 && scraped ? byJob : undefined;
    }, 'both jobs scraped');
    expect(targets.get('hintbook')).toMatchObject({ health: 'up', lastError: '' });
    expect(targets.get('hintbook_without_token')).toMatchObject({ health: 'down' });
    expect(targets.get('hintbook_without_token')?.lastError).toMatch(/401/);
    const up = await query('up');
    const upByJob = Object.fromEntries(
      up.data.result.map((series) => [series.metric.job, series.value[1]]),
    );
    expect(upByJob).toEqual({ hintbook: '1', hintbook_without_token: '0' });
  });

  it('evaluates every dashboard and rule expression without error', async () => {
    const expressions = [
      ...readdirSync(path.join(monitoring, 'grafana', 'dashboards')).flatMap((file) => {
        const dashboard = JSON.parse(
          readFileSync(path.join(monitoring, 'grafana', 'dashboards', file), 'utf8'),
        ) as { panels: Array<{ targets: Array<{ expr: string }> }> };
        return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
      }),
    ];
    expect(expressions.length).toBeGreaterThan(20);
    for (const expr of expressions) {
      const answer = await query(expr);
      expect(answer, `${expr}\n${answer.error ?? ''}`).toMatchObject({ status: 'success' });
    }
    // Every recording and alerting rule evaluated against the live series without an error.
    const rules = await until(async () => {
      const answer = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
        data: { groups: Array<{ rules: Array<{ health: string; name: string }> }> };
      };
      const loaded = answer.data.groups.flatMap((group) => group.rules);
      return loaded.every((rule) => rule.health !== 'unknown') ? loaded : undefined;
    }, 'every rule evaluated');
    expect(rules).toHaveLength(16);
    for (const rule of rules) expect(rule.health, rule.name).toBe('ok');
  });

  async function until<T>(check: () => Promise<T | undefined | false>, what: string): Promise<T> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${prometheusLog}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
});
