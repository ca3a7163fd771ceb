import type { Logger } from '../lib/logger.js';
import type { SeriesKey, WindowIncrease } from '../modules/observability/metric-windows.js';
import type { ReplicaWindows } from '../modules/observability/system.service.js';
import type { SharedRedis } from './redis.js';

/** How often a replica shares its System page figures; the page's peers are this much behind. */
export const SHARE_EVERY_MS = 15_000;
/** A replica silent this long (three missed shares) is gone: its figures leave the page. */
const FORGET_AFTER_MS = 3 * SHARE_EVERY_MS;
/** The page must answer when Redis does not: it then shows this process alone. */
const READ_TIMEOUT_MS = 2_000;

export interface SharedMetricWindows {
  /** The other live replicas' latest figures; undefined when Redis did not answer in time. */
  peers(): Promise<ReplicaWindows[] | undefined>;
  /** Shares this replica's figures now (the timer does it every 15 s; tests call it). */
  publishNow(): Promise<void>;
  /** Stops sharing and takes this replica off the page at once. */
  stop(): void;
}

/** One replica's figures as stored: the series once, each window's values in that order. */
interface Published {
  at: number;
  startedAt: number;
  series: Array<[name: string, labels: Record<string, string>]>;
  hour: { since: number; values: number[] };
  day: { since: number; values: number[] };
}

/**
 * The System page across replicas: each replica writes its hour and day increases (counters and
 * histogram buckets, not percentiles) into one Redis hash, a field per replica, and the page
 * sums every live replica's. The hash expires when no replica has written for a while; a
 * replica's field is ignored, then deleted, once it is older than FORGET_AFTER_MS.
 */
export function shareMetricWindows(options: {
  redis: SharedRedis;
  replicaId: string;
  read: () => Promise<ReplicaWindows>;
  logger: Logger;
  now?: () => number;
}): SharedMetricWindows {
  const { client, keyPrefix } = options.redis;
  const key = `${keyPrefix}:system-metrics`;
  const now = options.now ?? Date.now;

  async function publishNow() {
    const json = await serialiseForPeers(await options.read(), now());
    await client.multi().hSet(key, options.replicaId, json).pExpire(key, FORGET_AFTER_MS).exec();
  }

  async function readPeers(): Promise<ReplicaWindows[]> {
    const fields = await client.hGetAll(key);
    const oldest = now() - FORGET_AFTER_MS;
    const peers: ReplicaWindows[] = [];
    const gone: string[] = [];
    for (const [replicaId, json] of Object.entries(fields)) {
      if (replicaId === options.replicaId) continue;
      const published = JSON.parse(json) as Published;
      if (published.at < oldest) gone.push(replicaId);
      else peers.push(decode(published));
    }
    if (gone.length > 0) void client.hDel(key, gone).catch(() => {});
    return peers;
  }

  const share = () =>
    publishNow().catch((error: unknown) =>
      options.logger.warn({ err: error }, 'could not share the System page figures'),
    );
  void share();
  const timer = setInterval(() => void share(), SHARE_EVERY_MS);
  timer.unref();

  return {
    async peers() {
      let timeout: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          readPeers(),
          new Promise<never>((_, reject) => {
            timeout = setTimeout(() => reject(new Error('Redis did not answer')), READ_TIMEOUT_MS);
          }),
        ]);
      } catch (error) {
        options.logger.warn({ err: error }, "could not read the other replicas' figures");
        return undefined;
      } finally {
        clearTimeout(timeout);
      }
    },
    publishNow,
    stop() {
      clearInterval(timer);
      void client.hDel(key, options.replicaId).catch(() => {});
    },
  };
}

/**
 * What a replica writes for its peers, as JSON. Encoding and writing a few thousand series take
 * milliseconds each: the event loop is let go between the two, so a turn's event waits for one.
 */
export async function serialiseForPeers(windows: ReplicaWindows, at: number): Promise<string> {
  const published = encodeForPeers(windows, at);
  await new Promise((resolve) => setImmediate(resolve));
  return JSON.stringify(published);
}

function encodeForPeers(windows: ReplicaWindows, at: number): Published {
  const series: Published['series'] = [];
  // Both windows come from one read of the registry and share its labels objects: the object
  // identifies the series (JSON.stringify of each sample's labels held the loop for ms).
  const indexOf = new Map<Record<string, string>, number>();
  const indexFor = ({ name, labels }: SeriesKey) => {
    let index = indexOf.get(labels);
    if (index === undefined) {
      index = series.push([name, labels]) - 1;
      indexOf.set(labels, index);
    }
    return index;
  };
  const pack = (increase: WindowIncrease) => {
    const values: number[] = [];
    for (const sample of increase.samples) values[indexFor(sample)] = sample.value;
    return { since: increase.since, values };
  };
  const hour = pack(windows.hour);
  const day = pack(windows.day);
  // A series seen in only one window is 0 in the other (JSON writes the holes as null).
  const filled = (values: number[]) => Array.from(series, (_, i) => values[i] ?? 0);
  return {
    at,
    startedAt: windows.startedAt,
    series,
    hour: { since: hour.since, values: filled(hour.values) },
    day: { since: day.since, values: filled(day.values) },
  };
}

function decode(published: Published): ReplicaWindows {
  const unpack = (window: Published['hour']): WindowIncrease => ({
    since: window.since,
    samples: published.series.map(([name, labels], i) => ({
      name,
      labels,
      value: window.values[i] ?? 0,
    })),
  });
  return {
    startedAt: published.startedAt,
    hour: unpack(published.hour),
    day: unpack(published.day),
  };
}
