/**
 * Server configuration from the environment, with the embedded defaults a new user gets
 * from `npm start`: data under ./.firn, HTTP on 127.0.0.1:8080, local-disk object store.
 */
import { existsSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { firnHomePath } from '../storage/firn-home/firn-home-path.js';
import { DEFAULT_MAX_STATEMENTS_PER_USER } from './server/user-statement-limit.js';
import { IDLE_TIMEOUT_MS } from './access/session-store.js';

export type FirnConfig = {
  home: string;
  host: string;
  port: number;
  storageUrl: string;
  partitionRows: number;
  memoryCacheBytes: number;
  diskCacheBytes: number;
  pruning: boolean;
  /** Most bytes one query's join hash tables and sorts may hold before failing with SQLSTATE 53200. */
  queryMemoryBytes: number;
  /**
   * Most bytes the statements running at once may be granted together
   * (FIRN_TOTAL_QUERY_MEMORY_BYTES; services/scheduler/statement-memory.ts).
   */
  totalQueryMemoryBytes: number;
  /**
   * Bytes one statement's operators may write to spill files (FIRN_QUERY_SPILL_BYTES), shared
   * among the warehouse's workers (services/coordinate/exchange-ledger.ts); past it the
   * statement fails with 53200.
   */
  querySpillBytes: number;
  /**
   * Largest join build side (rows) broadcast to every worker; a larger one is hash
   * partitioned by key across the workers together with the probe side.
   */
  broadcastRows: number;
  /**
   * Smallest join build side (rows) that is routed by key ranges to the workers whose scan
   * reads those ranges (a co-located join; stage-planner.ts) instead of broadcast, when the
   * probe side's key is a column stored in increasing ranges.
   */
  rangeJoinRows: number;
  /**
   * Most rows (after pruning) a scan may read for an aggregate, sort or LIMIT over it to run
   * in one task rather than in every worker (FIRN_SMALL_SCAN_ROWS; 0: never;
   * services/physical/stage-planner.ts).
   */
  smallScanRows: number;
  /**
   * FIRN_FORCE_REPARTITION=on (default off; for the differential tests): every join with
   * equality keys is partitioned by key and every grouped aggregate is two-phase with a hash
   * exchange, whatever the estimated sizes (services/physical/stage-planner.ts).
   */
  forceRepartition: boolean;
  /**
   * Origins (scheme://host[:port]) besides the server's own whose browser pages may call the
   * HTTP API (FIRN_ALLOWED_ORIGINS, comma-separated); any other `Origin` is refused with 403.
   */
  allowedOrigins: string[];
  /**
   * V8 heap of each warehouse's worker threads together (split across a warehouse's slots):
   * a statement that passes it fails with 53200 instead of taking the process down.
   */
  workerHeapBytes: number;
  /** Seconds between background garbage collections (FIRN_GC_INTERVAL_SECONDS, default 300; 0: none in the background). */
  gcIntervalSeconds: number;
  /**
   * An object in the store that the catalog never knew (no partition row, not pending) is
   * deleted by GC only once it is older than this (FIRN_GC_GRACE_SECONDS, default 3600).
   */
  gcGraceSeconds: number;
  /**
   * How many times an UPDATE, DELETE or MERGE whose partitions another statement changed after
   * its snapshot runs again on the new snapshot (FIRN_DML_RETRIES, default 3) before it fails
   * with 40001 (services/session/run-dml.ts).
   */
  dmlRetries: number;
  /**
   * The account's DATA_RETENTION_TIME_IN_DAYS (FIRN_DATA_RETENTION_DAYS, default 1): how far
   * back time travel and UNDROP reach where no database, schema or table sets its own; 0
   * disables them.
   */
  dataRetentionDays: number;
  /**
   * Seconds between background compaction runs (FIRN_COMPACT_INTERVAL_SECONDS, default 60; 0
   * turns the compactor off, also after commits): services/maintenance/compactor.ts.
   */
  compactIntervalSeconds: number;
  /**
   * What the result cache's entries together may hold (FIRN_RESULT_CACHE_BYTES, default 256 MiB;
   * 0 turns it off) and the largest result it keeps (FIRN_RESULT_CACHE_MAX_RESULT_BYTES,
   * default 16 MiB): services/session/result-cache.ts.
   */
  resultCacheBytes: number;
  resultCacheMaxResultBytes: number;
  /**
   * Most worker threads one warehouse cluster runs (FIRN_MAX_WORKERS_PER_CLUSTER, default the
   * machine's cores, os.availableParallelism()): a size's node count (XSMALL 1, SMALL 2, ...,
   * X6LARGE 512) is capped by it (services/scheduler/warehouse-registry.ts).
   */
  maxWorkersPerCluster: number;
  /**
   * FIRN_TLS_CERT and FIRN_TLS_KEY: PEM files of the certificate chain and its private key
   * (resolved against the working directory), or null. With both the server speaks HTTPS; the
   * bind policy (services/server/bind-policy.ts) requires them, or allowInsecureBind, for a
   * FIRN_HOST beyond loopback.
   */
  tlsCertPath: string | null;
  tlsKeyPath: string | null;
  /**
   * FIRN_ALLOW_INSECURE_BIND=1 (default 0): serve plain HTTP beyond loopback anyway, with a
   * loud warning, where something else confines or encrypts the traffic (a TLS proxy, a
   * container port published only on the host's loopback).
   */
  allowInsecureBind: boolean;
  /**
   * Most statements one user runs at once over the HTTP API (FIRN_MAX_STATEMENTS_PER_USER,
   * default 256, at least 1); past it requests answer 429 with Retry-After
   * (services/server/user-statement-limit.ts).
   */
  maxStatementsPerUser: number;
  /**
   * The only local directories a raw `file://` location (COPY INTO t FROM 'file://...',
   * CREATE STAGE ... URL = 'file://...') may read, as absolute paths (FIRN_LOAD_ROOTS, colon-
   * or comma-separated; default none, so no server path is loadable):
   * services/stage/raw-location-policy.ts.
   */
  loadRoots: string[];
  /** Largest file one upload to a stage (PUT) may send (FIRN_STAGE_UPLOAD_MAX_BYTES, default 5 GiB, Snowflake's PUT limit). */
  stageUploadMaxBytes: number;
  /**
   * How long a login session (a driver's) lives without a request (FIRN_SESSION_IDLE_SECONDS,
   * default 14400, Snowflake's 4 hours; at least 1): services/access/session-store.ts.
   */
  sessionIdleSeconds: number;
  /**
   * The statement store's results (services/statements/statement-store.ts): batches held in
   * memory by all results together (FIRN_RESULT_MEMORY_BYTES, default 256 MiB), past it
   * written under FIRN_HOME/results, whose size is bounded by FIRN_RESULT_DISK_BYTES (default
   * as the spill budget: 10% of the free disk, at most 32 GiB; older results are evicted past
   * it); about how much JSON text one result partition holds (FIRN_RESULT_PARTITION_BYTES,
   * default 8 MiB); how many finished statements are kept (FIRN_KEPT_STATEMENTS, default
   * 10,000, for at most 24 hours).
   */
  resultMemoryBytes: number;
  resultDiskBytes: number;
  resultPartitionBytes: number;
  keptStatements: number;
  /**
   * A statement still running this long after it was submitted answers 202 and is polled
   * (FIRN_ASYNC_AFTER_MS, default 45,000: Snowflake's 45 seconds).
   */
  asyncAfterMs: number;
};

/** FIRN_STAGE_UPLOAD_MAX_BYTES's default: 5 GiB, the largest file Snowflake's PUT takes. */
export const DEFAULT_STAGE_UPLOAD_MAX_BYTES = 5 * 2 ** 30;

/** Rows per micro-partition: ~30 partitions for TPC-H SF1 lineitem, enough for 2-8 workers and selective pruning. */
export const DEFAULT_PARTITION_ROWS = 200_000;

/** Build sides up to this many rows are broadcast: TPC-H SF1's orders (1.5M) still is, SF10's is partitioned. */
export const DEFAULT_BROADCAST_ROWS = 4_000_000;

/** FIRN_RESULT_CACHE_BYTES's default: what all cached results together may hold (services/session/result-cache.ts). */
export const DEFAULT_RESULT_CACHE_BYTES = 256 * 2 ** 20;

/** FIRN_RESULT_CACHE_MAX_RESULT_BYTES's default: a larger result is not cached. */
export const DEFAULT_RESULT_CACHE_MAX_RESULT_BYTES = 16 * 2 ** 20;

/** FIRN_RESULT_MEMORY_BYTES's default: statement results held in memory before they go to disk. */
export const DEFAULT_RESULT_MEMORY_BYTES = 256 * 2 ** 20;

/** FIRN_RESULT_PARTITION_BYTES's default: JSON text per result partition, what a client parses at once. */
export const DEFAULT_RESULT_PARTITION_BYTES = 8 * 2 ** 20;

/** FIRN_KEPT_STATEMENTS's default: a retried requestId is recognized among the last 10,000 statements (for 24 h). */
export const DEFAULT_KEPT_STATEMENTS = 10_000;

/** FIRN_ASYNC_AFTER_MS's default: Snowflake's SQL API answers 202 after 45 seconds. */
export const DEFAULT_ASYNC_AFTER_MS = 45_000;

/** Build sides from this many rows are co-located when they can be: each worker then builds its share, not all of them. */
export const DEFAULT_RANGE_JOIN_ROWS = 100_000;

/** Scans of up to this many rows finish an aggregate, sort or LIMIT in one task: TPC-H's customer (150,000) and part (200,000) at SF 1. */
export const DEFAULT_SMALL_SCAN_ROWS = 200_000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FirnConfig {
  const home = path.resolve(env.FIRN_HOME ?? '.firn');
  const total = os.totalmem();
  const queryMemoryBytes = intVar(env, 'FIRN_QUERY_MEMORY_BYTES', Math.floor(total * 0.25));
  return {
    home,
    host: env.FIRN_HOST ?? '127.0.0.1',
    port: intVar(env, 'FIRN_PORT', 8080),
    storageUrl: env.FIRN_STORAGE_URL ?? pathToFileURL(firnHomePath(home, 'data')).href,
    partitionRows: intVar(env, 'FIRN_PARTITION_ROWS', DEFAULT_PARTITION_ROWS),
    memoryCacheBytes: intVar(env, 'FIRN_CACHE_MEMORY_BYTES', Math.floor(Math.min(8 * 2 ** 30, total * 0.35))),
    diskCacheBytes: intVar(env, 'FIRN_CACHE_DISK_BYTES', 20 * 2 ** 30),
    pruning: (env.FIRN_PRUNING ?? 'on').toLowerCase() !== 'off',
    queryMemoryBytes,
    totalQueryMemoryBytes: intVar(env, 'FIRN_TOTAL_QUERY_MEMORY_BYTES', Math.max(Math.floor(total * 0.5), 2 * queryMemoryBytes)),
    querySpillBytes: intVar(env, 'FIRN_QUERY_SPILL_BYTES', defaultSpillBytes(home)),
    broadcastRows: intVar(env, 'FIRN_BROADCAST_ROWS', DEFAULT_BROADCAST_ROWS),
    rangeJoinRows: intVar(env, 'FIRN_RANGE_JOIN_ROWS', DEFAULT_RANGE_JOIN_ROWS),
    smallScanRows: intVar(env, 'FIRN_SMALL_SCAN_ROWS', DEFAULT_SMALL_SCAN_ROWS),
    forceRepartition: onOffVar(env, 'FIRN_FORCE_REPARTITION', false),
    allowedOrigins: originsVar(env, 'FIRN_ALLOWED_ORIGINS'),
    workerHeapBytes: intVar(env, 'FIRN_WORKER_HEAP_BYTES', Math.floor(total * 0.6)),
    dataRetentionDays: intVar(env, 'FIRN_DATA_RETENTION_DAYS', 1),
    gcIntervalSeconds: intVar(env, 'FIRN_GC_INTERVAL_SECONDS', 300),
    gcGraceSeconds: intVar(env, 'FIRN_GC_GRACE_SECONDS', 3600),
    dmlRetries: intVar(env, 'FIRN_DML_RETRIES', 3),
    compactIntervalSeconds: intVar(env, 'FIRN_COMPACT_INTERVAL_SECONDS', 60),
    resultCacheBytes: intVar(env, 'FIRN_RESULT_CACHE_BYTES', DEFAULT_RESULT_CACHE_BYTES),
    resultCacheMaxResultBytes: intVar(env, 'FIRN_RESULT_CACHE_MAX_RESULT_BYTES', DEFAULT_RESULT_CACHE_MAX_RESULT_BYTES),
    maxWorkersPerCluster: Math.max(1, intVar(env, 'FIRN_MAX_WORKERS_PER_CLUSTER', os.availableParallelism())),
    tlsCertPath: pathVar(env, 'FIRN_TLS_CERT'),
    tlsKeyPath: pathVar(env, 'FIRN_TLS_KEY'),
    allowInsecureBind: flagVar(env, 'FIRN_ALLOW_INSECURE_BIND'),
    maxStatementsPerUser: positiveIntVar(env, 'FIRN_MAX_STATEMENTS_PER_USER', DEFAULT_MAX_STATEMENTS_PER_USER),
    loadRoots: loadRootsVar(env, 'FIRN_LOAD_ROOTS'),
    stageUploadMaxBytes: intVar(env, 'FIRN_STAGE_UPLOAD_MAX_BYTES', DEFAULT_STAGE_UPLOAD_MAX_BYTES),
    sessionIdleSeconds: positiveIntVar(env, 'FIRN_SESSION_IDLE_SECONDS', IDLE_TIMEOUT_MS / 1000),
    resultMemoryBytes: intVar(env, 'FIRN_RESULT_MEMORY_BYTES', DEFAULT_RESULT_MEMORY_BYTES),
    resultDiskBytes: intVar(env, 'FIRN_RESULT_DISK_BYTES', defaultSpillBytes(home)),
    resultPartitionBytes: positiveIntVar(env, 'FIRN_RESULT_PARTITION_BYTES', DEFAULT_RESULT_PARTITION_BYTES),
    keptStatements: positiveIntVar(env, 'FIRN_KEPT_STATEMENTS', DEFAULT_KEPT_STATEMENTS),
    asyncAfterMs: intVar(env, 'FIRN_ASYNC_AFTER_MS', DEFAULT_ASYNC_AFTER_MS),
  };
}

/** The most a statement spills by default, whatever the free disk. */
export const MAX_DEFAULT_SPILL_BYTES = 32 * 2 ** 30;

/**
 * The default spill budget: 10% of the free space on FIRN_HOME's file system (its nearest
 * existing directory) when the server starts, at most MAX_DEFAULT_SPILL_BYTES; 1 GiB when the
 * free space cannot be read.
 */
export function defaultSpillBytes(home: string): number {
  let dir = home;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const fs = statfsSync(dir);
    return Math.min(MAX_DEFAULT_SPILL_BYTES, Math.floor(Number(fs.bavail) * Number(fs.bsize) * 0.1));
  } catch {
    return 2 ** 30;
  }
}

/** A comma-separated list of web origins, each normalized the way browsers send `Origin`. */
function originsVar(env: NodeJS.ProcessEnv, name: string): string[] {
  const out: string[] = [];
  for (const part of (env[name] ?? '').split(',')) {
    const raw = part.trim();
    if (raw === '') continue;
    let u: URL | null = null;
    try {
      u = new URL(raw);
    } catch {
      u = null;
    }
    const bare = u !== null && u.username === '' && u.password === '' && u.pathname === '/' && u.search === '' && u.hash === '';
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || !bare) {
      throw new Error(`${name} must list origins like https://app.example.com or http://localhost:3000, got '${raw}'`);
    }
    out.push(u.origin);
  }
  return out;
}

/** A file path, resolved against the working directory; null when unset or empty. */
function pathVar(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = (env[name] ?? '').trim();
  return raw === '' ? null : path.resolve(raw);
}

/** 1 or 0 (unset or empty: 0). */
function flagVar(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim();
  if (raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name} must be 1 or 0, got '${env[name]}'`);
}

function positiveIntVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

/** Absolute directories separated by ':' or ','; a relative one is a configuration error. */
function loadRootsVar(env: NodeJS.ProcessEnv, name: string): string[] {
  const out: string[] = [];
  for (const part of (env[name] ?? '').split(/[:,]/)) {
    const raw = part.trim();
    if (raw === '') continue;
    if (!path.isAbsolute(raw)) throw new Error(`${name} must list absolute directories, got '${raw}'`);
    out.push(path.resolve(raw));
  }
  return out;
}

function onOffVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got '${env[name]}'`);
  return raw === 'on';
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}
